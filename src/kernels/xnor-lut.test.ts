import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packRows } from './bitpack';
import { randomSigns, seededRandom } from './seeded-data';
import { referenceRowProduct } from './testing/reference-kernels';
import { prepareXnorLut, xnorLutBytes } from './xnor-lut';
import { xnorLutGemm } from './xnor-lut-gemm';

describe('xnorLutGemm', () => {
  for (const groupBits of [4, 8] as const) {
    it(`equals the float ±1 product exactly with ${groupBits}-bit groups (any M, N, K)`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 7 }),
          fc.integer({ min: 1, max: 37 }),
          // up to 3 K-slices of 12 words (2 blocks of 6) of the byte kernel, then a slice
          // with a remainder after its blocks
          fc.integer({ min: 1, max: 1400 }),
          fc.integer(),
          (m, n, k, seed) => {
            const random = seededRandom(seed);
            const a = randomSigns(m * k, random);
            const b = randomSigns(n * k, random);
            const lut = prepareXnorLut(packRows(b, n, k), groupBits);
            expect(Array.from(xnorLutGemm(packRows(a, m, k), lut))).toEqual(referenceRowProduct(a, b, m, n, k));
          },
        ),
        { numRuns: groupBits === 4 ? 80 : 40, seed: 1234 + groupBits },
      );
    });
  }

  it('stays exact for long rows where every bit differs (lane flushes)', () => {
    const k = 3000;
    const a = new Float32Array(2 * k).fill(-1);
    const b = new Float32Array(17 * k).fill(1);
    for (const groupBits of [4, 8] as const) {
      const out = xnorLutGemm(packRows(a, 2, k), prepareXnorLut(packRows(b, 17, k), groupBits), new Float32Array(34));
      expect(Array.from(out)).toEqual(new Array(34).fill(-k));
    }
  });

  it('reports its table size: chunks × groups × 2^G entries of 8 B', () => {
    expect(xnorLutBytes(16, 5, 8)).toBe(1 * 20 * 256 * 8);
    expect(xnorLutBytes(17, 5, 4)).toBe(2 * 40 * 16 * 8);
  });

  it('rejects K beyond the 16-bit lanes', () => {
    expect(() => prepareXnorLut(packRows(new Float32Array(40000), 1, 40000), 4)).toThrow(RangeError);
  });
});
