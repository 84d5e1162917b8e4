import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { floatConv2d, prepareFloatConv } from './float-conv';
import { floatGemm } from './float-gemm';
import { randomFloats, seededRandom } from './seeded-data';

/** |got − want| ≤ 1e-4 · max(1, |want|) elementwise. */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const tol = 1e-4 * Math.max(1, Math.abs(want[i]));
    if (!(Math.abs(got[i] - want[i]) <= tol)) expect.fail(`element ${i}: got ${got[i]}, want ${want[i]}`);
  }
}

describe('floatGemm', () => {
  it('matches a plain triple loop for random shapes (tiles that do not divide M or N)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 13 }),
        fc.integer({ min: 1, max: 13 }),
        fc.integer({ min: 1, max: 80 }),
        fc.integer(),
        (m, n, k, seed) => {
          const random = seededRandom(seed);
          const a = randomFloats(m * k, random);
          const b = randomFloats(k * n, random);
          const want: number[] = [];
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              let s = 0;
              for (let t = 0; t < k; t++) s += a[i * k + t] * b[t * n + j];
              want.push(s);
            }
          }
          expectClose(floatGemm(a, b, m, n, k), want);
        },
      ),
      { numRuns: 100, seed: 77 },
    );
  });
});

describe('floatConv2d', () => {
  it('matches a plain zero-padded conv for random shapes, kernels 3 and 1, strides 1 and 2', () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 2 }),
          h: fc.integer({ min: 1, max: 8 }),
          w: fc.integer({ min: 1, max: 8 }),
          cin: fc.integer({ min: 1, max: 20 }),
          cout: fc.integer({ min: 1, max: 9 }),
          k: fc.constantFrom(1, 3),
          stride: fc.constantFrom(1, 2),
          seed: fc.integer(),
        }),
        ({ n, h, w, cin, cout, k, stride, seed }) => {
          const pad = (k - 1) / 2;
          const random = seededRandom(seed);
          const x = randomFloats(n * h * w * cin, random);
          const wt = randomFloats(k * k * cin * cout, random);
          const outH = Math.floor((h + 2 * pad - k) / stride) + 1;
          const outW = Math.floor((w + 2 * pad - k) / stride) + 1;
          const want: number[] = [];
          for (let b = 0; b < n; b++) {
            for (let oy = 0; oy < outH; oy++) {
              for (let ox = 0; ox < outW; ox++) {
                for (let o = 0; o < cout; o++) {
                  let s = 0;
                  for (let ky = 0; ky < k; ky++) {
                    for (let kx = 0; kx < k; kx++) {
                      const iy = oy * stride - pad + ky;
                      const ix = ox * stride - pad + kx;
                      if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                      for (let c = 0; c < cin; c++) {
                        s += x[((b * h + iy) * w + ix) * cin + c] * wt[((ky * k + kx) * cin + c) * cout + o];
                      }
                    }
                  }
                  want.push(s);
                }
              }
            }
          }
          const layer = prepareFloatConv(wt, { kh: k, kw: k, cin, cout, stride });
          expectClose(floatConv2d(x, { n, h, w, c: cin }, layer), want);
        },
      ),
      { numRuns: 100, seed: 31 },
    );
  });
});
