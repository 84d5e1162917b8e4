import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packActivationsNHWC, packWeightsHWIO } from './bitpack';
import { binaryConv2d, binaryConv2dFromFloat, defaultGroupBits, packedInputWords, prepareBinaryConv } from './binary-conv';
import { randomSigns, seededRandom } from './seeded-data';
import { referenceConv, type ReferenceConvShape } from './testing/reference-kernels';

function run(x: Float32Array, w: Float32Array, s: ReferenceConvShape, groupBits?: 4 | 8): Float32Array {
  const layer = prepareBinaryConv(packWeightsHWIO(w, s.k, s.k, s.cin, s.cout), s.stride, { pad: s.pad, groupBits });
  return binaryConv2d(packActivationsNHWC(x, s.n, s.h, s.w, s.cin), layer);
}

/** Random ±1 data for a shape, the binary conv with the given tables, and the reference. */
function check(s: ReferenceConvShape, seed: number, groupBits?: 4 | 8): void {
  const random = seededRandom(seed);
  const x = randomSigns(s.n * s.h * s.w * s.cin, random);
  const w = randomSigns(s.k * s.k * s.cin * s.cout, random);
  expect(Array.from(run(x, w, s, groupBits))).toEqual(referenceConv(x, w, s));
}

/** Random 3×3 conv dimensions on the fast path's channel range, strides 1 and 2, pads 1 and 2. */
function conv3x3Dims(maxCin: number) {
  return fc.record({
    n: fc.integer({ min: 1, max: 2 }),
    h: fc.integer({ min: 1, max: 9 }),
    w: fc.integer({ min: 1, max: 9 }),
    cin: fc.integer({ min: 1, max: maxCin }),
    cout: fc.integer({ min: 1, max: 37 }),
    stride: fc.constantFrom(1, 2),
    pad: fc.constantFrom(1, 1, 1, 2),
    seed: fc.integer(),
  });
}

describe('binaryConv2d (table lookup)', () => {
  for (const groupBits of [4, 8] as const) {
    it(`equals a float zero-padded 3×3 conv on ±1 inputs, random shapes, strides 1 and 2, pads 1 and 2, ${groupBits}-bit tables`, () => {
      fc.assert(
        fc.property(
          conv3x3Dims(128),
          ({ seed, ...dims }) => check({ ...dims, k: 3 }, seed, groupBits),
        ),
        { numRuns: 40, seed: 777 + groupBits },
      );
    });
  }

  it('equals the reference on the general path: 1×1 and 5×5 kernels, > 128 channels, odd padding', () => {
    fc.assert(
      fc.property(
        fc.record({
          n: fc.constant(1),
          h: fc.integer({ min: 1, max: 6 }),
          w: fc.integer({ min: 1, max: 6 }),
          cin: fc.integer({ min: 1, max: 140 }),
          cout: fc.integer({ min: 1, max: 20 }),
          k: fc.constantFrom(1, 3, 5),
          stride: fc.constantFrom(1, 2),
          padExtra: fc.integer({ min: 0, max: 1 }),
          groupBits: fc.constantFrom(4 as const, 8 as const),
          seed: fc.integer(),
        }),
        ({ seed, groupBits, padExtra, ...dims }) => {
          const pad = Math.min((dims.k - 1) / 2 + padExtra, dims.k - 1);
          // 3×3 over ≤ 128 channels takes the fast path; the rest the general one.
          check({ ...dims, cin: dims.k === 3 ? 129 + (dims.cin % 44) : dims.cin, pad }, seed, groupBits);
        },
      ),
      { numRuns: 40, seed: 99 },
    );
  });

  it('stays exact when every product is −1 (all lanes at their maximum), on both paths', () => {
    for (const cin of [16, 32, 64, 96, 128, 160]) {
      const s: ReferenceConvShape = { n: 1, h: 3, w: 4, cin, cout: 16, k: 3, stride: 1, pad: 1 };
      const x = new Float32Array(12 * cin).fill(-1);
      const w = new Float32Array(9 * cin * 16).fill(1);
      for (const groupBits of [4, 8] as const) expect(Array.from(run(x, w, s, groupBits))).toEqual(referenceConv(x, w, s));
    }
  });

  it('covers the ResNet-20 layer shapes, packing float activations (with zeros) by sign', () => {
    const random = seededRandom(99);
    for (const [h, cin, cout, stride, n] of [[32, 16, 16, 1, 1], [32, 16, 32, 2, 1], [16, 32, 64, 2, 1], [8, 64, 64, 1, 2]]) {
      const s: ReferenceConvShape = { n, h, w: h, cin, cout, k: 3, stride, pad: 1 };
      const signs = randomSigns(s.n * h * h * cin, random);
      const x = signs.map((v, i) => (i % 17 === 0 ? 0 : v * (0.25 + (i % 5))));
      const w = randomSigns(9 * cin * cout, random);
      const layer = prepareBinaryConv(packWeightsHWIO(w, 3, 3, cin, cout), stride);
      const out = binaryConv2dFromFloat(x, { n: s.n, h, w: h, c: cin }, layer);
      expect(Array.from(out)).toEqual(referenceConv(x.map((v) => (v < 0 ? -1 : 1)), w, s));
    }
  });

  it('packs floats straight into the bordered layout: exact whatever the reused scratch border holds', () => {
    fc.assert(
      fc.property(
        conv3x3Dims(128),
        fc.constantFrom(4 as const, 8 as const),
        ({ seed, ...s }, groupBits) => {
          const random = seededRandom(seed);
          const x = randomSigns(s.n * s.h * s.w * s.cin, random).map((v, i) => (i % 7 === 0 ? 0 : v * (1 + (i % 3))));
          const w = randomSigns(9 * s.cin * s.cout, random);
          const layer = prepareBinaryConv(packWeightsHWIO(w, 3, 3, s.cin, s.cout), s.stride, { pad: s.pad, groupBits });
          const shape = { n: s.n, h: s.h, w: s.w, c: s.cin };
          // Random bits in the border: padded taps must still add exactly 0.
          const scratch = new Uint32Array(packedInputWords(shape, layer)).map(() => (random() * 2 ** 32) >>> 0);
          const out = binaryConv2dFromFloat(x, shape, layer, undefined, scratch);
          expect(Array.from(out)).toEqual(referenceConv(x.map((v) => (v < 0 ? -1 : 1)), w, { ...s, k: 3 }));
        },
      ),
      { numRuns: 40, seed: 4242 },
    );
  });

  it('uses byte tables while one chunk of them stays ≤ 512 KiB (every ResNet-20 layer at w = 16 and 32), nibble tables beyond', () => {
    // one chunk's byte tables: 9 taps × words(cin) × 4 groups × 256 entries × 8 B = 72 KiB per word
    expect(defaultGroupBits({ kh: 3, kw: 3, cin: 128, cout: 128 })).toBe(8); // 288 KiB
    expect(defaultGroupBits({ kh: 3, kw: 3, cin: 224, cout: 16 })).toBe(8); // 504 KiB
    expect(defaultGroupBits({ kh: 3, kw: 3, cin: 225, cout: 16 })).toBe(4); // 576 KiB
    expect(defaultGroupBits({ kh: 5, kw: 5, cin: 64, cout: 512 })).toBe(8); // 400 KiB, whatever cout
    const layer = prepareBinaryConv(packWeightsHWIO(new Float32Array(9 * 256 * 32), 3, 3, 256, 32), 1);
    expect(layer.lut.groupBits).toBe(4);
  });
});
