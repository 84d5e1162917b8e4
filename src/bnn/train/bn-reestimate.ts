import * as tf from '@tensorflow/tfjs-core';
import type { ImageDataset } from '../../data/dataset';
import type { BatchNormOp } from '../model/architecture';
import { forward } from '../model/forward';
import type { BnnModel } from '../model/model';
import type { EstimatorParams } from '../quantizers/estimator';

/**
 * BatchNorm statistics re-estimated with a model's final weights. A model is evaluated with
 * the moving averages of its BN statistics, which lag behind binary weights that keep flipping
 * sign until the last steps of a short run, and under IR2Net's restriction also average the
 * masked second pass (its inputs have other statistics). This replaces every BN op's mean and
 * variance by the statistics of its input over the given training images, run forward in
 * training mode (each BN normalising with its batch statistics, as in training) in full
 * batches of `batchSize`:
 *   μ = (1/B) Σ_b μ_b,   σ² = (1/B) Σ_b (σ²_b + μ_b²) − μ²
 * with μ_b, σ²_b the (biased) batch statistics: equal batch sizes make these the mean and
 * the biased variance over all the images' positions. A remainder of fewer than `batchSize`
 * indices is left out. The weights are not touched.
 */
export async function reestimateBatchNorm(
  model: Pick<BnnModel, 'arch' | 'params' | 'quant'>,
  data: ImageDataset,
  indices: ArrayLike<number>,
  options: { batchSize: number; tk: EstimatorParams },
): Promise<void> {
  const { batchSize } = options;
  const batches = Math.floor(indices.length / batchSize);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batches < 1) {
    throw new RangeError(`BN re-estimation needs at least one full batch: ${indices.length} images, batch ${batchSize}`);
  }
  const bnOps = model.arch.ops.filter((op): op is BatchNormOp => op.op === 'batchnorm');
  const sums = new Map<string, { mean: Float64Array; square: Float64Array }>();
  const quant = model.quant(options.tk);
  const buf = new Float32Array(batchSize * data.imageSize);
  const labels = new Int32Array(batchSize);
  const batchIndices = new Int32Array(batchSize);
  for (let b = 0; b < batches; b++) {
    for (let i = 0; i < batchSize; i++) batchIndices[i] = indices[b * batchSize + i];
    data.fillBatch(batchIndices, buf, labels);
    const stats = tf.tidy(() => {
      const x = tf.tensor4d(buf, [batchSize, data.height, data.width, data.channels]);
      const { batchStats } = forward(model.arch, model.params, x, { training: true, quant });
      // [mean, variance] per BN op, kept past the tidy and read once
      return bnOps.map((op) => tf.keep(tf.stack([batchStats[op.name].mean, batchStats[op.name].variance])));
    });
    const values = await Promise.all(stats.map((s) => s.data()));
    tf.dispose(stats);
    bnOps.forEach((op, k) => {
      const v = values[k];
      const c = v.length / 2;
      let acc = sums.get(op.name);
      if (!acc) sums.set(op.name, (acc = { mean: new Float64Array(c), square: new Float64Array(c) }));
      for (let j = 0; j < c; j++) {
        acc.mean[j] += v[j];
        acc.square[j] += v[c + j] + v[j] * v[j];
      }
    });
  }
  for (const op of bnOps) {
    const acc = sums.get(op.name)!;
    const mean = Float32Array.from(acc.mean, (s) => s / batches);
    const variance = Float32Array.from(acc.square, (s, j) => Math.max(0, s / batches - mean[j] * mean[j]));
    tf.tidy(() => {
      model.params.get(op.mean).assign(tf.tensor1d(mean));
      model.params.get(op.variance).assign(tf.tensor1d(variance));
    });
  }
}
