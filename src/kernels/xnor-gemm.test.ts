import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packRows } from './bitpack';
import { int32View, xnorGemm } from './xnor-gemm';
import { xnorGemmSwarWords } from './xnor-gemm-swar';
import { randomSigns, seededRandom } from './seeded-data';
import { referenceRowProduct } from './testing/reference-kernels';

describe('xnorGemm', () => {
  it('equals the float ±1 product exactly for random M, N, K (K and N of any residue)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 11 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer(),
        (m, n, k, seed) => {
          const random = seededRandom(seed);
          const a = randomSigns(m * k, random);
          const b = randomSigns(n * k, random);
          const c = xnorGemm(packRows(a, m, k), packRows(b, n, k));
          expect(Array.from(c)).toEqual(referenceRowProduct(a, b, m, n, k));
        },
      ),
      { numRuns: 150, seed: 20240601 },
    );
  });

  it('has a SWAR variant that agrees with the float ±1 product', () => {
    const random = seededRandom(41);
    for (const [m, n, k] of [[3, 7, 1000], [1, 4, 31], [5, 1, 2000]]) {
      const a = randomSigns(m * k, random);
      const b = randomSigns(n * k, random);
      const pa = packRows(a, m, k);
      const pb = packRows(b, n, k);
      const out = new Int32Array(m * n);
      xnorGemmSwarWords(int32View(pa.words), int32View(pb.words), m, n, pa.wordsPerRow, k, out);
      expect(Array.from(out)).toEqual(referenceRowProduct(a, b, m, n, k));
    }
  });

  it('writes into a Float32Array when one is given', () => {
    const random = seededRandom(9);
    const [m, n, k] = [3, 6, 97];
    const a = randomSigns(m * k, random);
    const b = randomSigns(n * k, random);
    const out = new Float32Array(m * n);
    expect(xnorGemm(packRows(a, m, k), packRows(b, n, k), out)).toBe(out);
    expect(Array.from(out)).toEqual(referenceRowProduct(a, b, m, n, k));
  });

  it('stays exact past the deferred byte-sum limit when every bit differs', () => {
    // 5000 bits = 157 words > 124 words per chunk; all products −1: every counter is maxed.
    const k = 5000;
    const a = new Float32Array(2 * k).fill(-1);
    const b = new Float32Array(5 * k).fill(1);
    const c = xnorGemm(packRows(a, 2, k), packRows(b, 5, k));
    expect(Array.from(c)).toEqual(new Array(10).fill(-k));
  });

  it('handles long random rows across several chunks', () => {
    const random = seededRandom(12);
    const [m, n, k] = [2, 5, 4133];
    const a = randomSigns(m * k, random);
    const b = randomSigns(n * k, random);
    expect(Array.from(xnorGemm(packRows(a, m, k), packRows(b, n, k)))).toEqual(referenceRowProduct(a, b, m, n, k));
  });

  it('rejects operands of different K', () => {
    expect(() => xnorGemm(packRows([1, 1], 1, 2), packRows([1, 1, 1], 1, 3))).toThrow(RangeError);
  });
});
