import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { packWeightsHWIO } from '../kernels/bitpack';
import {
  firstNonZeroPaddingByte,
  packSignsToBytes,
  packedBytesPerTap,
  packedBytesToConvWeights,
  unpackBytesToSigns,
} from './model-file-bits';

/** HWIO index of (ky, kx, c, o). */
const at = (kw: number, cin: number, cout: number) => (ky: number, kx: number, c: number, o: number) =>
  ((ky * kw + kx) * cin + c) * cout + o;

describe('model file bit layout', () => {
  it('bit j of byte i is channel 8i + j, 1 means −1, per out channel then per tap', () => {
    // 1×2 kernel, cin 10, cout 2: 2 bytes per tap, bytes ordered [o][kx][byte].
    const idx = at(2, 10, 2);
    const w = new Float32Array(1 * 2 * 10 * 2).fill(1);
    w[idx(0, 0, 0, 0)] = -1; // o0 tap0 byte0 bit0
    w[idx(0, 0, 9, 0)] = -1; // o0 tap0 byte1 bit1
    w[idx(0, 1, 7, 0)] = -1; // o0 tap1 byte0 bit7
    w[idx(0, 1, 3, 1)] = -0.5; // o1 tap1 byte0 bit3
    w[idx(0, 0, 8, 1)] = 0; // sign(0) = +1: no bit
    expect(Array.from(packSignsToBytes(w, 1, 2, 10, 2))).toEqual([0b1, 0b10, 0b10000000, 0, 0, 0, 0b1000, 0]);
  });

  it('equals the kernels\' little-endian uint32 words byte for byte when cin is a multiple of 32', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 2 * 2 * 64 * 3, maxLength: 2 * 2 * 64 * 3 }), (bits) => {
        const w = bits.map((b) => (b ? -1 : 1));
        const bytes = packSignsToBytes(w, 2, 2, 64, 3);
        const words = packWeightsHWIO(w, 2, 2, 64, 3).words;
        const le = new Uint8Array(words.length * 4);
        words.forEach((word, i) => new DataView(le.buffer).setUint32(4 * i, word, true));
        expect(Array.from(bytes)).toEqual(Array.from(le));
      }),
      { numRuns: 20 },
    );
  });

  it('unpacks what it packs and converts to the kernels\' words for any cin', () => {
    fc.assert(
      fc.property(
        fc.record({ k: fc.integer({ min: 1, max: 3 }), cin: fc.integer({ min: 1, max: 70 }), cout: fc.integer({ min: 1, max: 5 }) }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        ({ k, cin, cout }, seed) => {
          const n = k * k * cin * cout;
          let s = seed;
          const w = Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) >>> 0) & 0x10000 ? -1 : 1));
          const bytes = packSignsToBytes(w, k, k, cin, cout);
          expect(bytes.length).toBe(cout * k * k * packedBytesPerTap(cin));
          expect(firstNonZeroPaddingByte(bytes, cin)).toBe(-1);
          expect(Array.from(unpackBytesToSigns(bytes, k, k, cin, cout))).toEqual(Array.from(w));
          const a = packedBytesToConvWeights(bytes, k, k, cin, cout);
          const b = packWeightsHWIO(w, k, k, cin, cout);
          expect(Array.from(a.words)).toEqual(Array.from(b.words));
          expect(a.wordsPerCin).toBe(b.wordsPerCin);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('finds set bits past the last channel', () => {
    const bytes = packSignsToBytes(new Float32Array(3 * 13).fill(-1), 1, 1, 13, 3); // 2 bytes per tap
    expect(Array.from(bytes)).toEqual([0xff, 0x1f, 0xff, 0x1f, 0xff, 0x1f]);
    expect(firstNonZeroPaddingByte(bytes, 13)).toBe(-1);
    bytes[3] |= 0x20;
    expect(firstNonZeroPaddingByte(bytes, 13)).toBe(3);
    expect(firstNonZeroPaddingByte(new Uint8Array([0xff, 0xff]), 16)).toBe(-1);
  });
});
