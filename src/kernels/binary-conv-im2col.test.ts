import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packActivationsNHWC, packWeightsHWIO } from './bitpack';
import { binaryConv2dIm2col, binaryConv2dIm2colFromFloat, prepareIm2colBinaryConv } from './binary-conv-im2col';
import { randomSigns, seededRandom } from './seeded-data';
import { referenceConv, type ReferenceConvShape } from './testing/reference-kernels';

function run(x: Float32Array, w: Float32Array, s: ReferenceConvShape): Float32Array {
  const layer = prepareIm2colBinaryConv(packWeightsHWIO(w, s.k, s.k, s.cin, s.cout), s.stride, s.pad);
  return binaryConv2dIm2col(packActivationsNHWC(x, s.n, s.h, s.w, s.cin), layer);
}

describe('binaryConv2dIm2col', () => {
  it('equals a float zero-padded 3×3 conv on ±1 inputs for random shapes, strides 1 and 2', () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 2 }),
          h: fc.integer({ min: 1, max: 9 }),
          w: fc.integer({ min: 1, max: 9 }),
          cin: fc.integer({ min: 1, max: 70 }),
          cout: fc.integer({ min: 1, max: 9 }),
          stride: fc.constantFrom(1, 2),
          seed: fc.integer(),
        }),
        ({ seed, ...dims }) => {
          const s: ReferenceConvShape = { ...dims, k: 3, pad: 1 };
          const random = seededRandom(seed);
          const x = randomSigns(s.n * s.h * s.w * s.cin, random);
          const w = randomSigns(9 * s.cin * s.cout, random);
          expect(Array.from(run(x, w, s))).toEqual(referenceConv(x, w, s));
        },
      ),
      { numRuns: 60, seed: 4242 },
    );
  });

  it('equals the reference for 1×1 convs without padding and packs float inputs by sign', () => {
    const random = seededRandom(21);
    for (const [h, w, cin, cout, stride] of [[5, 7, 16, 8, 1], [8, 8, 33, 6, 2]]) {
      const s: ReferenceConvShape = { n: 2, h, w, cin, cout, k: 1, stride, pad: 0 };
      const x = randomSigns(s.n * h * w * cin, random);
      const wt = randomSigns(cin * cout, random);
      expect(Array.from(run(x, wt, s))).toEqual(referenceConv(x, wt, s));
    }
    const s: ReferenceConvShape = { n: 1, h: 6, w: 5, cin: 20, cout: 3, k: 3, stride: 2, pad: 1 };
    const x = Float32Array.from(randomSigns(6 * 5 * 20, random), (v, i) => (i % 7 === 0 ? 0 : v * 0.3));
    const wt = randomSigns(9 * 20 * 3, random);
    const layer = prepareIm2colBinaryConv(packWeightsHWIO(wt, 3, 3, 20, 3), 2);
    const out = binaryConv2dIm2colFromFloat(x, { n: 1, h: 6, w: 5, c: 20 }, layer);
    expect(Array.from(out)).toEqual(referenceConv(x.map((v) => (v < 0 ? -1 : 1)), wt, s));
  });
});
