import { describe, expect, it } from 'vitest';
import {
  convWeightsAsMatrix,
  borderedWords,
  packActivationsNHWC,
  packBorderedNHWC,
  packColumns,
  packRows,
  packWeightsHWIO,
  wordsForBits,
} from './bitpack';
import { randomFloats, seededRandom } from './seeded-data';

/** Reads bit `bit` of a packed row as the ±1 value it encodes (1 ↔ −1). */
function valueAt(words: Uint32Array, rowStart: number, bit: number): number {
  return (words[rowStart + (bit >>> 5)] >>> (bit & 31)) & 1 ? -1 : 1;
}

describe('packRows', () => {
  it('maps bit j of word i to element 32i + j, 1 to negative and 0 to non-negative', () => {
    const values = new Array<number>(40).fill(1);
    values[0] = -1;
    values[31] = -2.5;
    values[32] = -0.001;
    values[39] = -7;
    const packed = packRows(values, 1, 40);
    expect(packed.wordsPerRow).toBe(2);
    expect(packed.bits).toBe(40);
    expect(packed.words[0]).toBe((1 | (1 << 31)) >>> 0);
    expect(packed.words[1]).toBe(1 | (1 << 7));
  });

  it('packs sign(0) and sign(-0) as +1 on both the generic and the Float32Array path', () => {
    const plain = [0, -0, -1, 1e-30, -1e-30];
    for (const values of [plain, Float32Array.from(plain)]) {
      expect(packRows(values, 1, 5).words[0]).toBe(0b10100);
    }
  });

  it('reads the sign of every edge-case float bit pattern on the Float32Array path as v < 0', () => {
    // around ±0, the smallest and largest magnitudes, ±1 and ±∞, in full words and a tail
    const edges = [0x00000000, 0x80000000, 0x80000001, 0x00000001, 0x7f7fffff, 0xff7fffff, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x807fffff, 0x007fffff];
    // 70 columns: full words and a tail; 16: the straight 16-value path, every edge in every slot
    for (const cols of [70, 16]) {
      const rows = cols === 16 ? edges.length : 1;
      const bits = Uint32Array.from({ length: rows * cols }, (_, i) => edges[(5 * (i + Math.floor(i / cols))) % edges.length]);
      const values = new Float32Array(bits.buffer);
      const packed = packRows(values, rows, cols);
      const wpr = wordsForBits(cols);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) expect(valueAt(packed.words, r * wpr, c)).toBe(values[r * cols + c] < 0 ? -1 : 1);
      }
    }
  });

  it('agrees with a per-bit reading for random rows, leaving padding bits 0', () => {
    const random = seededRandom(7);
    for (const cols of [1, 15, 16, 17, 31, 32, 33, 48, 64, 70, 100]) {
      const rows = 3;
      const values = randomFloats(rows * cols, random);
      const packed = packRows(values, rows, cols);
      const generic = packRows(Array.from(values), rows, cols);
      expect(Array.from(generic.words)).toEqual(Array.from(packed.words));
      const wpr = wordsForBits(cols);
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) expect(valueAt(packed.words, r * wpr, c)).toBe(values[r * cols + c] < 0 ? -1 : 1);
        for (let c = cols; c < wpr * 32; c++) expect(valueAt(packed.words, r * wpr, c)).toBe(1);
      }
    }
  });
});

describe('packColumns', () => {
  it('packs column c of a [rows, cols] matrix as row c', () => {
    const random = seededRandom(3);
    const rows = 45;
    const cols = 6;
    const values = randomFloats(rows * cols, random);
    const packed = packColumns(values, rows, cols);
    expect(packed.rows).toBe(cols);
    expect(packed.bits).toBe(rows);
    for (let c = 0; c < cols; c++) {
      for (let r = 0; r < rows; r++) expect(valueAt(packed.words, c * 2, r)).toBe(values[r * cols + c] < 0 ? -1 : 1);
    }
  });
});

describe('packWeightsHWIO', () => {
  it('lays filters out as [cout][kh][kw][ceil(cin/32)] with zero gaps', () => {
    const random = seededRandom(11);
    const [kh, kw, cin, cout] = [3, 3, 40, 5];
    const w = randomFloats(kh * kw * cin * cout, random);
    const packed = packWeightsHWIO(w, kh, kw, cin, cout);
    expect(packed.wordsPerCin).toBe(2);
    expect(packed.words.length).toBe(cout * 9 * 2);
    for (let o = 0; o < cout; o++) {
      for (let ky = 0; ky < kh; ky++) {
        for (let kx = 0; kx < kw; kx++) {
          const start = ((o * kh + ky) * kw + kx) * 2;
          for (let c = 0; c < cin; c++) {
            const expected = w[((ky * kw + kx) * cin + c) * cout + o] < 0 ? -1 : 1;
            expect(valueAt(packed.words, start, c)).toBe(expected);
          }
          for (let c = cin; c < 64; c++) expect(valueAt(packed.words, start, c)).toBe(1);
        }
      }
    }
    const m = convWeightsAsMatrix(packed);
    expect([m.rows, m.bits, m.wordsPerRow]).toEqual([5, 360, 18]);
  });
});

describe('packActivationsNHWC', () => {
  it('packs each pixel into ceil(c/32) words and reuses a given buffer', () => {
    const random = seededRandom(5);
    const [n, h, w, c] = [2, 3, 2, 33];
    const x = randomFloats(n * h * w * c, random);
    const into = new Uint32Array(n * h * w * 2).fill(0xffffffff);
    const packed = packActivationsNHWC(x, n, h, w, c, into);
    expect(packed.words).toBe(into);
    expect(packed.wordsPerPixel).toBe(2);
    for (let p = 0; p < n * h * w; p++) {
      for (let ch = 0; ch < c; ch++) expect(valueAt(into, p * 2, ch)).toBe(x[p * c + ch] < 0 ? -1 : 1);
      expect(into[p * 2 + 1] >>> 1).toBe(0);
    }
  });

  it('rejects a shape that does not match the data', () => {
    expect(() => packActivationsNHWC(new Float32Array(10), 1, 2, 2, 3)).toThrow(RangeError);
  });
});

describe('packBorderedNHWC', () => {
  it('packs each pixel where the bordered layout puts it and leaves the border words alone', () => {
    const random = seededRandom(6);
    for (const [n, h, w, c, pad] of [[1, 3, 4, 5, 1], [2, 5, 3, 33, 1], [1, 2, 2, 70, 2], [2, 4, 3, 16, 1]]) {
      const wpc = Math.ceil(c / 32);
      const [hp, wp] = [h + 2 * pad, w + 2 * pad];
      const x = randomFloats(n * h * w * c, random);
      const dst = new Uint32Array(borderedWords(n, h, w, c, pad) + 3).fill(0xdeadbeef);
      expect(borderedWords(n, h, w, c, pad)).toBe(n * hp * wp * wpc);
      packBorderedNHWC(x, n, h, w, c, pad, dst);
      for (let b = 0; b < n; b++) {
        for (let y = 0; y < hp; y++) {
          for (let xx = 0; xx < wp; xx++) {
            const at = ((b * hp + y) * wp + xx) * wpc;
            const [iy, ix] = [y - pad, xx - pad];
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
              for (let k = 0; k < wpc; k++) expect(dst[at + k]).toBe(0xdeadbeef);
              continue;
            }
            const src = ((b * h + iy) * w + ix) * c;
            for (let ch = 0; ch < c; ch++) expect(valueAt(dst, at, ch)).toBe(x[src + ch] < 0 ? -1 : 1);
          }
        }
      }
      expect(Array.from(dst.subarray(dst.length - 3))).toEqual([0xdeadbeef, 0xdeadbeef, 0xdeadbeef]);
    }
  });

  it('rejects a shape that does not match the data or a buffer that is too small', () => {
    expect(() => packBorderedNHWC(new Float32Array(10), 1, 2, 2, 3, 1, new Uint32Array(100))).toThrow(RangeError);
    expect(() => packBorderedNHWC(new Float32Array(12), 1, 2, 2, 3, 1, new Uint32Array(15))).toThrow(RangeError);
  });
});
