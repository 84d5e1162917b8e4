import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packActivationsNHWC, packWeightsHWIO } from './bitpack';
import { binaryConv2d, binaryConv2dFromFloat, prepareBinaryConv } from './binaryConv';
import { randomSigns, seededRandom } from './seededData';

interface Shape {
  n: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  k: number;
  stride: number;
  pad: number;
}

/**
 * Plain NHWC conv with zero padding, as tf.conv2d with explicit padding computes it:
 * out size floor((H + 2p − k)/s) + 1, out[b,oy,ox,o] = Σ x[b, oy·s−p+ky, ox·s−p+kx, c]·w[ky,kx,c,o]
 * over in-bounds positions only.
 */
function referenceConv(x: Float32Array, w: Float32Array, s: Shape): { out: number[]; outH: number; outW: number } {
  const outH = Math.floor((s.h + 2 * s.pad - s.k) / s.stride) + 1;
  const outW = Math.floor((s.w + 2 * s.pad - s.k) / s.stride) + 1;
  const out: number[] = [];
  for (let b = 0; b < s.n; b++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        for (let o = 0; o < s.cout; o++) {
          let sum = 0;
          for (let ky = 0; ky < s.k; ky++) {
            for (let kx = 0; kx < s.k; kx++) {
              const iy = oy * s.stride - s.pad + ky;
              const ix = ox * s.stride - s.pad + kx;
              if (iy < 0 || iy >= s.h || ix < 0 || ix >= s.w) continue;
              for (let c = 0; c < s.cin; c++) {
                sum += x[((b * s.h + iy) * s.w + ix) * s.cin + c] * w[((ky * s.k + kx) * s.cin + c) * s.cout + o];
              }
            }
          }
          out.push(sum);
        }
      }
    }
  }
  return { out, outH, outW };
}

function runBinary(x: Float32Array, w: Float32Array, s: Shape): Float32Array {
  const layer = prepareBinaryConv(packWeightsHWIO(w, s.k, s.k, s.cin, s.cout), s.stride, s.pad);
  return binaryConv2d(packActivationsNHWC(x, s.n, s.h, s.w, s.cin), layer);
}

describe('binaryConv2d', () => {
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
          const s: Shape = { ...dims, k: 3, pad: 1 };
          const random = seededRandom(seed);
          const x = randomSigns(s.n * s.h * s.w * s.cin, random);
          const w = randomSigns(9 * s.cin * s.cout, random);
          const ref = referenceConv(x, w, s);
          expect(Array.from(runBinary(x, w, s))).toEqual(ref.out);
        },
      ),
      { numRuns: 120, seed: 4242 },
    );
  });

  it('equals the reference for 1×1 convs without padding, strides 1 and 2', () => {
    const random = seededRandom(21);
    for (const [h, w, cin, cout, stride] of [[5, 7, 16, 8, 1], [8, 8, 33, 6, 2], [3, 1, 64, 4, 2]]) {
      const s: Shape = { n: 2, h, w, cin, cout, k: 1, stride, pad: 0 };
      const x = randomSigns(s.n * h * w * cin, random);
      const wt = randomSigns(cin * cout, random);
      expect(Array.from(runBinary(x, wt, s))).toEqual(referenceConv(x, wt, s).out);
    }
  });

  it('covers the ResNet-20 layer shapes, packing float activations by sign', () => {
    const random = seededRandom(99);
    for (const [h, cin, cout, stride] of [[32, 16, 16, 1], [32, 16, 32, 2], [16, 32, 64, 2], [8, 64, 64, 1]]) {
      const s: Shape = { n: 2, h, w: h, cin, cout, k: 3, stride, pad: 1 };
      const signs = randomSigns(s.n * h * h * cin, random);
      // Scaled values (and a few zeros, sign(0) = +1) must give the same result as their signs.
      const x = signs.map((v, i) => (i % 17 === 0 ? 0 : v * (0.25 + (i % 5))));
      const xSigns = x.map((v) => (v < 0 ? -1 : 1));
      const w = randomSigns(9 * cin * cout, random);
      const layer = prepareBinaryConv(packWeightsHWIO(w, 3, 3, cin, cout), stride);
      const out = binaryConv2dFromFloat(x, { n: s.n, h, w: h, c: cin }, layer);
      expect(Array.from(out)).toEqual(referenceConv(xSigns, w, s).out);
    }
  });
});
