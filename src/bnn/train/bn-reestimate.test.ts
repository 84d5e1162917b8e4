import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../test/tf';
import { createShapesDataset } from '../../data/shapes';
import type { ImageDataset } from '../../data/dataset';
import { DEFAULT_CONFIG, type RunConfig } from '../config';
import type { BatchNormOp } from '../model/architecture';
import { forward } from '../model/forward';
import { BnnModel } from '../model/model';
import { reestimateBatchNorm } from './bn-reestimate';

let data: ImageDataset;
beforeAll(async () => {
  await useBackend('wasm');
  data = createShapesDataset({ seed: 4, trainSize: 64, testSize: 4 });
});

const tk = { t: 1, k: 1 };
const irnet: RunConfig = { ...DEFAULT_CONFIG, dataset: 'shapes', depth: 8, width: 8, seed: 2 };

/** The first `n` training images as one NHWC tensor. */
function images(n: number): tf.Tensor4D {
  const buf = new Float32Array(n * data.imageSize);
  data.fillBatch(data.trainIndices.subarray(0, n), buf, new Int32Array(n));
  return tf.tensor4d(buf, [n, data.height, data.width, data.channels]);
}

function bnOps(model: BnnModel): BatchNormOp[] {
  return model.arch.ops.filter((op): op is BatchNormOp => op.op === 'batchnorm');
}

describe('reestimateBatchNorm', () => {
  for (const precision of ['binary', 'full'] as const) {
    it(`on one batch makes inference equal training mode on that batch (${precision})`, async () => {
      const model = BnnModel.create({ ...irnet, precision }, data.numClasses);
      const x = images(32);
      const quant = model.quant(tk);
      const trainMode = tf.tidy(() => forward(model.arch, model.params, x, { training: true, quant }).logits.arraySync());
      const before = tf.tidy(() => forward(model.arch, model.params, x, { training: false, quant }).logits.arraySync());
      const tensors = tf.memory().numTensors;
      await reestimateBatchNorm(model, data, data.trainIndices.subarray(0, 32), { batchSize: 32, tk });
      expect(tf.memory().numTensors).toBe(tensors);
      const after = tf.tidy(() => forward(model.arch, model.params, x, { training: false, quant }).logits.arraySync());
      const gap = (a: number[][]) => Math.max(...a.flatMap((r, i) => r.map((v, j) => Math.abs(v - trainMode[i][j]))));
      // fresh moving statistics (0, 1) are far from the batch's; re-estimated ones are the batch's
      expect(gap(before)).toBeGreaterThan(0.1);
      expect(gap(after)).toBeLessThan(2e-3);
      x.dispose();
      model.dispose();
    });
  }

  it('pools the batches: the first BN gets the mean and biased variance of its input over all images', async () => {
    const model = BnnModel.create(irnet, data.numClasses);
    const first = bnOps(model)[0];
    const x = images(64);
    // The stem conv feeds the first BN and depends on no BN: its output over all 64 images at once.
    const input = tf.tidy(() => forward(model.arch, model.params, x, { training: true, quant: model.quant(tk), keep: [first.input] }).outputs[first.input].dataSync());
    const c = first.channels;
    const count = input.length / c;
    const expectedMean = new Float64Array(c);
    const expectedVar = new Float64Array(c);
    for (let i = 0; i < input.length; i++) expectedMean[i % c] += input[i] / count;
    for (let i = 0; i < input.length; i++) expectedVar[i % c] += (input[i] - expectedMean[i % c]) ** 2 / count;
    const gamma = model.params.get(first.gamma).dataSync().slice();
    await reestimateBatchNorm(model, data, data.trainIndices.subarray(0, 64), { batchSize: 32, tk });
    const mean = model.params.get(first.mean).dataSync();
    const variance = model.params.get(first.variance).dataSync();
    for (let j = 0; j < c; j++) {
      expect(mean[j]).toBeCloseTo(expectedMean[j], 4);
      expect(variance[j] / expectedVar[j]).toBeCloseTo(1, 4);
    }
    expect(Array.from(model.params.get(first.gamma).dataSync())).toEqual(Array.from(gamma));
    x.dispose();
    model.dispose();
  });

  it('needs one full batch', async () => {
    const model = BnnModel.create(irnet, data.numClasses);
    await expect(reestimateBatchNorm(model, data, data.trainIndices.subarray(0, 20), { batchSize: 32, tk })).rejects.toThrow(RangeError);
    model.dispose();
  });
});
