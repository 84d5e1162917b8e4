import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packActivationsNHWC, packWeightsHWIO } from './bitpack';
import { binaryConv2d, binaryConv2dFromFloat, prepareBinaryConv } from './binaryConv';
import { randomSigns, seededRandom } from './seededData';
import { referenceConv, type ReferenceConvShape } from './testing/referenceKernels';

function run(x: Float32Array, w: Float32Array, s: ReferenceConvShape, groupBits?: 4 | 8): Float32Array {
  const layer = prepareBinaryConv(packWeightsHWIO(w, s.k, s.k, s.cin, s.cout), s.stride, { pad: s.pad, groupBits });
  return binaryConv2d(packActivationsNHWC(x, s.n, s.h, s.w, s.cin), layer);
}

describe('binaryConv2d (table lookup)', () => {
  for (const groupBits of [4, 8] as const) {
    it(`equals a float zero-padded 3×3 conv on ±1 inputs, random shapes, strides 1 and 2, ${groupBits}-bit groups`, () => {
      fc.assert(
        fc.property(
          fc.record({
            n: fc.integer({ min: 1, max: 2 }),
            h: fc.integer({ min: 1, max: 9 }),
            w: fc.integer({ min: 1, max: 9 }),
            cin: fc.integer({ min: 1, max: 70 }),
            cout: fc.integer({ min: 1, max: 37 }),
            stride: fc.constantFrom(1, 2),
            seed: fc.integer(),
          }),
          ({ seed, ...dims }) => {
            const s: ReferenceConvShape = { ...dims, k: 3, pad: 1 };
            const random = seededRandom(seed);
            const x = randomSigns(s.n * s.h * s.w * s.cin, random);
            const w = randomSigns(9 * s.cin * s.cout, random);
            expect(Array.from(run(x, w, s, groupBits))).toEqual(referenceConv(x, w, s));
          },
        ),
        { numRuns: 60, seed: 777 + groupBits },
      );
    });
  }

  it('handles 1×1 convs without padding and many channels per tap (flushes inside a tap)', () => {
    const random = seededRandom(21);
    for (const [h, w, cin, cout, stride, k, pad] of [[5, 7, 16, 8, 1, 1, 0], [8, 8, 33, 6, 2, 1, 0], [4, 5, 200, 18, 1, 3, 1]]) {
      const s: ReferenceConvShape = { n: 2, h, w, cin, cout, k, stride, pad };
      const x = randomSigns(s.n * h * w * cin, random);
      const wt = randomSigns(k * k * cin * cout, random);
      for (const groupBits of [4, 8] as const) expect(Array.from(run(x, wt, s, groupBits))).toEqual(referenceConv(x, wt, s));
    }
  });

  it('stays exact when every product is −1 (all lanes at their maximum)', () => {
    for (const cin of [32, 128]) {
      const s: ReferenceConvShape = { n: 1, h: 3, w: 4, cin, cout: 16, k: 3, stride: 1, pad: 1 };
      const x = new Float32Array(12 * cin).fill(-1);
      const w = new Float32Array(9 * cin * 16).fill(1);
      for (const groupBits of [4, 8] as const) expect(Array.from(run(x, w, s, groupBits))).toEqual(referenceConv(x, w, s));
    }
  });

  it('covers the ResNet-20 layer shapes, packing float activations (with zeros) by sign', () => {
    const random = seededRandom(99);
    for (const [h, cin, cout, stride] of [[32, 16, 16, 1], [32, 16, 32, 2], [16, 32, 64, 2], [8, 64, 64, 1]]) {
      const s: ReferenceConvShape = { n: 2, h, w: h, cin, cout, k: 3, stride, pad: 1 };
      const signs = randomSigns(s.n * h * h * cin, random);
      const x = signs.map((v, i) => (i % 17 === 0 ? 0 : v * (0.25 + (i % 5))));
      const w = randomSigns(9 * cin * cout, random);
      const layer = prepareBinaryConv(packWeightsHWIO(w, 3, 3, cin, cout), stride);
      const out = binaryConv2dFromFloat(x, { n: s.n, h, w: h, c: cin }, layer);
      expect(Array.from(out)).toEqual(referenceConv(x.map((v) => (v < 0 ? -1 : 1)), w, s));
    }
  });

  it('picks byte tables for the model layers and nibble tables when bytes would be large', () => {
    const small = prepareBinaryConv(packWeightsHWIO(new Float32Array(9 * 64 * 64), 3, 3, 64, 64), 1);
    expect(small.lut.groupBits).toBe(8);
    const large = prepareBinaryConv(packWeightsHWIO(new Float32Array(9 * 128 * 128), 3, 3, 128, 128), 1);
    expect(large.lut.groupBits).toBe(4);
  });
});
