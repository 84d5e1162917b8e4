import * as tf from '@tensorflow/tfjs-core';
import type { BnnModel } from '../model/model';
import { correctCount } from './loss';
import { trainingObjective, type LossTerm } from './objective';
import type { QuantTk } from './schedules';

/** One step's tensors before the update: the read-back scalars, the gradients and the BN batch statistics. */
export interface StepResult {
  /** [loss, CE, correct count, Σ‖g‖²], read back in one call. */
  readout: tf.Tensor1D;
  grads: tf.NamedTensorMap;
  batchStats: Record<string, { mean: tf.Tensor1D; variance: tf.Tensor1D }>;
  dispose(): void;
}

/**
 * Forward and backward of one batch (NHWC floats, int labels) at the estimators' t, k: the loss
 * with the run's extra terms, its gradients w.r.t. the trainable variables, and the scalars the
 * trainer reads back in one call. The caller applies the gradients and disposes the result.
 */
export function trainingStep(
  model: BnnModel,
  terms: readonly LossTerm[],
  trainable: tf.Variable[],
  images: Float32Array,
  labels: Int32Array,
  tk: QuantTk,
): StepResult {
  const [, h, w, c] = [0, ...model.arch.input];
  const batch = labels.length;
  const quant = model.quant(tk);
  let kept: tf.Tensor[] = [];
  let batchStats: StepResult['batchStats'] = {};
  let ceT: tf.Scalar | null = null;
  let correctT: tf.Scalar | null = null;
  const x = tf.tensor4d(images, [batch, h, w, c]);
  const y = tf.tensor1d(labels, 'int32');
  const { value, grads } = tf.variableGrads(() => {
    const obj = trainingObjective(model, quant, x, y, terms);
    batchStats = obj.batchStats;
    ceT = tf.keep(obj.ce);
    correctT = tf.keep(correctCount(obj.logits, y));
    kept = [ceT, correctT];
    for (const s of Object.values(batchStats)) kept.push(tf.keep(s.mean), tf.keep(s.variance));
    return obj.total;
  }, trainable);
  const readout = tf.tidy(() => {
    const gradSq = tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))));
    return tf.stack([value, ceT as unknown as tf.Scalar, correctT as unknown as tf.Scalar, gradSq]) as tf.Tensor1D;
  });
  return {
    readout,
    grads,
    batchStats,
    dispose: () => {
      tf.dispose([x, y, value, ...kept, ...Object.values(grads)]);
    },
  };
}
