import { describe, expect, it } from 'vitest';
import { applyEpilogue, avgPool, clampBits, hardtanh, shortcutA } from './float-ops';
import { depthwiseConv, directConv, prepareDirectConv } from './float-small-convs';
import { referenceConv } from './testing/reference-kernels';
import { randomFloats, seededRandom } from './seeded-data';

const bitsOf = (v: number): number => new Int32Array(Float32Array.of(v).buffer)[0];
const floatOf = (b: number): number => new Float32Array(Int32Array.of(b).buffer)[0];

describe('engine float ops', () => {
  it('clampBits is clip(v, −1, 1) bit for bit, −0 included', () => {
    const values = [0, -0, 1, -1, 0.5, -0.75, 1.0000001, -1.0000001, 3, -7e30, 1e-42, -1e-42, Infinity, -Infinity, Math.fround(0.99999994)];
    for (const v of values) {
      const f = Math.fround(v);
      const expected = Object.is(f, -0) ? -0 : Math.min(1, Math.max(-1, f));
      expect(Object.is(floatOf(clampBits(bitsOf(f))), expected)).toBe(true);
    }
  });

  it('epilogue: a·y + b (+ r) (clamped) per channel, every variant; hardtanh', () => {
    const random = seededRandom(2);
    const rows = 7;
    const channels = 5;
    const y0 = randomFloats(rows * channels, random).map((v) => v * 4);
    const r = randomFloats(rows * channels, random);
    const e = { a: randomFloats(channels, random), b: randomFloats(channels, random) };
    for (const residual of [null, r]) {
      for (const clamp of [false, true]) {
        const y = Float32Array.from(y0);
        applyEpilogue(y, new Int32Array(y.buffer), rows, channels, e, residual, clamp);
        const expected = Array.from(y0, (v, i) => {
          let z = Math.fround(e.a[i % channels] * v + e.b[i % channels] + (residual ? residual[i] : 0));
          if (clamp) z = Math.min(1, Math.max(-1, z));
          return z;
        });
        expect(Array.from(y)).toEqual(expected);
      }
    }
    const out = new Float32Array(y0.length);
    hardtanh(y0, y0.length, out);
    expect(Array.from(out)).toEqual(Array.from(y0, (v) => Math.min(1, Math.max(-1, v))));
  });

  it('option-A shortcut keeps even rows and columns of odd sizes (ceil) and zero-pads channels', () => {
    // x[b, y, x, c] = 100·b + 10·y + x + c/10 on a 1×3×3×2 input; stride 2 → 2×2, pad 1 + 1.
    const x = new Float32Array(2 * 3 * 3 * 2).map((_, i) => {
      const c = i % 2;
      const xx = Math.floor(i / 2) % 3;
      const y = Math.floor(i / 6) % 3;
      const b = Math.floor(i / 18);
      return 100 * b + 10 * y + xx + c / 10;
    });
    const out = new Float32Array(2 * 2 * 2 * 4).fill(NaN);
    shortcutA(x, 2, 3, 3, 2, 2, 1, 1, out);
    const px = (b: number, y: number, xx: number) => [0, Math.fround(100 * b + 10 * y + xx), Math.fround(100 * b + 10 * y + xx + 0.1), 0];
    expect(Array.from(out)).toEqual([
      ...px(0, 0, 0), ...px(0, 0, 2), ...px(0, 2, 0), ...px(0, 2, 2),
      ...px(1, 0, 0), ...px(1, 0, 2), ...px(1, 2, 0), ...px(1, 2, 2),
    ]);
  });

  it('avgPool and depthwise conv against direct sums', () => {
    const x = Float32Array.from({ length: 4 * 4 * 2 }, (_, i) => i);
    const pooled = new Float32Array(2 * 2 * 2);
    avgPool(x, 1, 4, 4, 2, 2, pooled);
    // Channel 0 of the top-left window: pixels (0,0), (0,1), (1,0), (1,1) hold 0, 2, 8, 10.
    expect(pooled[0]).toBe(5);
    expect(pooled[1]).toBe(6);
    expect(pooled[2]).toBe((4 + 6 + 12 + 14) / 4);
    // Depthwise 3×3, multiplier 2, pad 1 on a 1×2×2×1 input of 1, 2, 3, 4; weight[ky,kx,0,m] = m + 1.
    const w = new Float32Array(9 * 2).map((_, i) => (i % 2) + 1);
    const y = new Float32Array(2 * 2 * 2);
    depthwiseConv(Float32Array.of(1, 2, 3, 4), 1, 2, 2, 1, w, 3, 2, 1, y);
    // Every output sees all four inputs (sum 10) through in-bounds taps.
    expect(Array.from(y)).toEqual([10, 20, 10, 20, 10, 20, 10, 20]);
  });

  it('direct conv equals the reference conv (zero padding, strides 1 and 2, 1×1 to 5×5)', () => {
    const random = seededRandom(11);
    const shapes = [
      { n: 2, h: 7, w: 5, cin: 3, cout: 8, k: 3, stride: 1, pad: 1 },
      { n: 1, h: 9, w: 9, cin: 1, cout: 24, k: 3, stride: 2, pad: 1 },
      { n: 3, h: 4, w: 6, cin: 2, cout: 8, k: 1, stride: 1, pad: 0 },
      { n: 1, h: 6, w: 6, cin: 3, cout: 16, k: 5, stride: 2, pad: 2 },
      { n: 2, h: 32, w: 32, cin: 3, cout: 16, k: 3, stride: 1, pad: 1 },
      { n: 1, h: 8, w: 7, cin: 1, cout: 8, k: 3, stride: 2, pad: 0 },
    ];
    for (const s of shapes) {
      const x = randomFloats(s.n * s.h * s.w * s.cin, random);
      const w = randomFloats(s.k * s.k * s.cin * s.cout, random);
      const expected = referenceConv(x, w, s);
      const out = new Float32Array(expected.length);
      directConv(x, s.n, s.h, s.w, prepareDirectConv(w, s.k, s.cin, s.cout, s.stride, s.pad), out);
      expected.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 5));
    }
  });
});
