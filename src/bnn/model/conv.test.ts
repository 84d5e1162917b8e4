import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { useBackend } from '../../test/tf';
import fc from 'fast-check';
import { conv2d, conv2dWithIm2colGrad, depthToSpace, depthwiseConv2d, hasNativeFilterGrad, stridedInputGrad } from './conv';

function randomArray(n: number, rng: () => number): Float32Array {
  return Float32Array.from({ length: n }, () => rng() * 2 - 1);
}

/** Gradients of sum(conv(x, w) · dy) w.r.t. x and w on the active backend. */
function grads(
  conv: (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D,
  x: Float32Array, xs: number[], w: Float32Array, ws: number[], dy: Float32Array, ys: number[],
): { dx: Float32Array; dw: Float32Array; y: Float32Array } {
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, xs as [number, number, number, number]);
    const wt = tf.tensor4d(w, ws as [number, number, number, number]);
    const dyt = tf.tensor4d(dy, ys as [number, number, number, number]);
    const f = (a: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), dyt));
    const [gx, gw] = tf.grads(f)([xt, wt]);
    return { dx: gx.dataSync() as Float32Array, dw: gw.dataSync() as Float32Array, y: conv(xt, wt).dataSync() as Float32Array };
  });
}

function expectClose(a: Float32Array, b: Float32Array, tol = 1e-4): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  expect(worst).toBeLessThan(tol);
}

describe('conv filter gradient on wasm equals the cpu backend', () => {
  it.each([
    [1, 1, 9, 9, 3, 5],
    [2, 2, 9, 9, 3, 5],
    [2, 3, 8, 8, 4, 6],
    [1, 2, 7, 5, 16, 16],
    [2, 1, 28, 28, 8, 16],
  ])('stride %d: batch %d, %d×%d, %d → %d channels', async (stride, n, h, w, cin, cout) => {
    const rng = seedrandom.alea(`conv${stride}${n}${h}${cin}`);
    const xs = [n, h, w, cin];
    const ws = [3, 3, cin, cout];
    const ho = Math.floor((h + 2 - 3) / stride) + 1;
    const wo = Math.floor((w + 2 - 3) / stride) + 1;
    const ys = [n, ho, wo, cout];
    const x = randomArray(n * h * w * cin, rng);
    const wt = randomArray(9 * cin * cout, rng);
    const dy = randomArray(n * ho * wo * cout, rng);
    const c = (a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor4D => conv2d(a, b, stride, 1);

    await useBackend('cpu');
    expect(hasNativeFilterGrad()).toBe(true);
    const ref = grads(c, x, xs, wt, ws, dy, ys);
    const viaIm2colOnCpu = grads((a, b) => conv2dWithIm2colGrad(a, b, stride, 1), x, xs, wt, ws, dy, ys);

    await useBackend('wasm');
    expect(hasNativeFilterGrad()).toBe(false);
    const onWasm = grads(c, x, xs, wt, ws, dy, ys);

    expectClose(onWasm.y, ref.y);
    expectClose(onWasm.dx, ref.dx);
    expectClose(onWasm.dw, ref.dw);
    expectClose(viaIm2colOnCpu.dw, ref.dw);
  });

  it('1×1 conv (pad 0) filter gradient on wasm equals cpu', async () => {
    const rng = seedrandom.alea('1x1');
    const x = randomArray(2 * 4 * 4 * 6, rng);
    const w = randomArray(6 * 3, rng);
    const dy = randomArray(2 * 4 * 4 * 3, rng);
    const c = (a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor4D => conv2d(a, b, 1, 0);
    await useBackend('cpu');
    const ref = grads(c, x, [2, 4, 4, 6], w, [1, 1, 6, 3], dy, [2, 4, 4, 3]);
    await useBackend('wasm');
    const got = grads(c, x, [2, 4, 4, 6], w, [1, 1, 6, 3], dy, [2, 4, 4, 3]);
    expectClose(got.dw, ref.dw);
    expectClose(got.dx, ref.dx);
  });
});

describe('strided input gradient in polyphase form', () => {
  it('equals tf.conv2dTranspose (cpu) over random shapes, odd sizes, strides 2 and 3, kernels 1 to 5, same padding', async () => {
    await useBackend('cpu');
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 2 }),
          h: fc.integer({ min: 1, max: 11 }),
          w: fc.integer({ min: 1, max: 11 }),
          c: fc.integer({ min: 1, max: 5 }),
          co: fc.integer({ min: 1, max: 5 }),
          k: fc.constantFrom(1, 3, 5),
          s: fc.constantFrom(2, 3),
          seed: fc.integer(),
        }),
        ({ n, h, w, c, co, k, s, seed }) => {
          const p = (k - 1) / 2;
          const ho = Math.floor((h + 2 * p - k) / s) + 1;
          const wo = Math.floor((w + 2 * p - k) / s) + 1;
          const rng = seedrandom.alea(String(seed));
          const [got, want] = tf.tidy(() => {
            const dy = tf.tensor4d(randomArray(n * ho * wo * co, rng), [n, ho, wo, co]);
            const wt = tf.tensor4d(randomArray(k * k * c * co, rng), [k, k, c, co]);
            return [
              stridedInputGrad(dy, wt, [n, h, w, c], s, p).dataSync() as Float32Array,
              tf.conv2dTranspose(dy, wt, [n, h, w, c], s, p).dataSync() as Float32Array,
            ];
          });
          expectClose(got, want, 1e-5);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('depthToSpace as reshape + transpose', () => {
  it('equals out[n, h·s + i, w·s + j, c] = x[n, h, w, (i·s + j)·C + c] over random shapes, odd sizes, blocks 2 and 3, on wasm', async () => {
    await useBackend('wasm');
    fc.assert(
      fc.property(
        fc.record({
          n: fc.integer({ min: 1, max: 3 }),
          h: fc.integer({ min: 1, max: 7 }),
          w: fc.integer({ min: 1, max: 7 }),
          c: fc.integer({ min: 1, max: 5 }),
          s: fc.constantFrom(2, 3),
          seed: fc.integer(),
        }),
        ({ n, h, w, c, s, seed }) => {
          const rng = seedrandom.alea(String(seed));
          const depth = s * s * c;
          const x = randomArray(n * h * w * depth, rng);
          const got = tf.tidy(() => depthToSpace(tf.tensor4d(x, [n, h, w, depth]), s).dataSync() as Float32Array);
          const want = new Float32Array(got.length);
          const [H, W] = [h * s, w * s];
          for (let b = 0; b < n; b++)
            for (let y = 0; y < h; y++)
              for (let xx = 0; xx < w; xx++)
                for (let i = 0; i < s; i++)
                  for (let j = 0; j < s; j++)
                    for (let ch = 0; ch < c; ch++)
                      want[((b * H + y * s + i) * W + xx * s + j) * c + ch] = x[((b * h + y) * w + xx) * depth + (i * s + j) * c + ch];
          expect(Array.from(got)).toEqual(Array.from(want));
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('depthwise conv as shifted multiply-adds', () => {
  it('equals tf.depthwiseConv2d forward and its cpu gradients, multiplier 3', async () => {
    await useBackend('cpu');
    const rng = seedrandom.alea('dw');
    const x = randomArray(2 * 5 * 5 * 4, rng);
    const w = randomArray(9 * 4 * 3, rng);
    const dy = randomArray(2 * 5 * 5 * 12, rng);
    const ref = grads((a, b) => tf.depthwiseConv2d(a, b, 1, 'same'), x, [2, 5, 5, 4], w, [3, 3, 4, 3], dy, [2, 5, 5, 12]);
    await useBackend('wasm');
    const got = grads((a, b) => depthwiseConv2d(a, b, 1), x, [2, 5, 5, 4], w, [3, 3, 4, 3], dy, [2, 5, 5, 12]);
    expectClose(got.y, ref.y);
    expectClose(got.dx, ref.dx);
    expectClose(got.dw, ref.dw);
  });
});
