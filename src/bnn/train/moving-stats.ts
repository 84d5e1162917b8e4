import * as tf from '@tensorflow/tfjs-core';
import type { BnnModel } from '../model/model';

/** After each finite step, every BN's moving statistics: moving ← 0.9 · moving + 0.1 · batch (PyTorch's BN momentum 0.1). */
export function updateMovingStats(model: Pick<BnnModel, 'arch' | 'params'>, stats: Record<string, { mean: tf.Tensor1D; variance: tf.Tensor1D }>): void {
  tf.tidy(() => {
    for (const op of model.arch.ops) {
      if (op.op !== 'batchnorm') continue;
      const s = stats[op.name];
      if (!s) continue;
      const mean = model.params.get(op.mean);
      const variance = model.params.get(op.variance);
      mean.assign(tf.add(tf.mul(mean, 0.9), tf.mul(s.mean, 0.1)));
      variance.assign(tf.add(tf.mul(variance, 0.9), tf.mul(s.variance, 0.1)));
    }
  });
}
