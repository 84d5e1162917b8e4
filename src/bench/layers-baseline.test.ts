import { afterAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../test/tf';
import { DEFAULT_CONFIG } from '../bnn/config';
import { BnnModel } from '../bnn/model/model';
import { forward } from '../bnn/model/forward';
import { hasNativeFilterGrad } from '../bnn/model/conv';
import { buildLayersResNet, trainableParamCount, withIm2colConvFilterGradient } from './layers-baseline';

/** Our parameter name for a tf.layers weight ('s2.b0.bn1/moving_mean' → 's2.b0.bn1.mean'). */
function ourName(layersName: string): string {
  const [layer, kind] = layersName.split('/');
  const suffix: Record<string, string> = { kernel: 'w', bias: 'b', gamma: 'gamma', beta: 'beta', moving_mean: 'mean', moving_variance: 'variance' };
  return `${layer}.${suffix[kind]}`;
}

describe('tf.layers baseline of the benchmark', () => {
  afterAll(() => useBackend('wasm'));

  it('computes the same function as our full-precision ResNet given the same weights', async () => {
    await useBackend('cpu');
    const cfg = { ...DEFAULT_CONFIG, depth: 8 as const, width: 8 as const, precision: 'full' as const, seed: 5 };
    const ours = BnnModel.create(cfg, 10);
    tf.tidy(() => {
      // Non-trivial BN state so that inference mode is checked too.
      for (const [name, v] of ours.params.vars) {
        if (name.endsWith('.mean') || name.endsWith('.beta')) v.assign(tf.randomNormal(v.shape, 0, 0.3, 'float32', 1));
        if (name.endsWith('.variance') || name.endsWith('.gamma')) v.assign(tf.randomUniform(v.shape, 0.5, 1.5, 'float32', 2));
      }
    });
    const model = buildLayersResNet({ depth: 8, width: 8, input: [28, 28, 1], classes: 10 });
    const ourTrainable = ours.params.trainable().reduce((s, v) => s + v.size, 0);
    expect(trainableParamCount(model)).toBe(ourTrainable);
    let copied = 0;
    for (const w of model.weights) {
      if (w.originalName.includes('.shortcut/')) continue; // the fixed option-A selection
      w.write(ours.params.get(ourName(w.originalName)));
      copied++;
    }
    expect(copied).toBe(ours.params.vars.size);
    const x = tf.randomNormal([3, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    for (const training of [false, true]) {
      const diff = tf.tidy(() => {
        const a = tf.softmax(forward(ours.arch, ours.params, x, { training }).logits);
        const b = model.apply(x, { training }) as tf.Tensor;
        return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
      });
      expect(diff).toBeLessThan(1e-5);
    }
    x.dispose();
    model.dispose();
    ours.dispose();
  });

  it('trains on wasm with the im2col filter-gradient kernel, which is removed afterwards', async () => {
    const gradsOn = async (backend: 'cpu' | 'wasm') => {
      await useBackend(backend);
      const x = tf.tensor4d(Array.from({ length: 2 * 9 * 9 * 3 }, (_, i) => Math.sin(i)), [2, 9, 9, 3]);
      const w = tf.tensor4d(Array.from({ length: 3 * 3 * 3 * 4 }, (_, i) => Math.cos(i)), [3, 3, 3, 4]);
      const weights = tf.range(1, 5).reshape([1, 1, 1, 4]);
      const out: number[][] = [];
      for (const [stride, pad] of [[1, 'same'], [2, 'valid'], [2, 1]] as const) {
        const loss = (f: tf.Tensor) =>
          tf.sum(tf.mul(tf.fused.conv2d({ x, filter: f as tf.Tensor4D, strides: stride, pad }), weights)) as tf.Scalar;
        const g = tf.grad(loss)(w);
        out.push(Array.from(await g.data()));
        g.dispose();
      }
      tf.dispose([x, w, weights]);
      return out;
    };
    const expected = await gradsOn('cpu');
    await useBackend('wasm');
    expect(hasNativeFilterGrad()).toBe(false);
    const got = await withIm2colConvFilterGradient(() => gradsOn('wasm'));
    expect(hasNativeFilterGrad()).toBe(false);
    got.forEach((g, i) => g.forEach((v, j) => expect(v).toBeCloseTo(expected[i][j], 3)));

    // and model.fit trains the tf.layers model there
    const model = buildLayersResNet({ depth: 8, width: 8, input: [28, 28, 1], classes: 10 });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
    const xs = tf.randomNormal([8, 28, 28, 1], 0, 1, 'float32', 4);
    const ys = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7]);
    const history = await withIm2colConvFilterGradient(() => model.fit(xs, ys, { batchSize: 4, epochs: 1, verbose: 0 }));
    expect(Number.isFinite(history.history.loss[0] as number)).toBe(true);
    tf.dispose([xs, ys]);
    model.dispose();
  });
});
