import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { count, tensorName } from './fields';
import { NO_COST, type OpDef } from './op-def';

/** The BatchNorm ε of every model (PyTorch's default). */
export const BN_EPSILON = 1e-5;

/**
 * y = γ · (x − μ) / √(σ² + ε) + β over all axes but the channel axis; μ, σ² are the batch
 * statistics in training (the biased variance, reported for the moving-average update and BN
 * calibration) and the stored ones otherwise. The summary counts 4 floats per channel (γ, β, μ, σ²),
 * as the export stores them.
 */
export const batchnormSchema = z.strictObject({
  op: z.literal('batchnorm'),
  name: tensorName,
  input: tensorName,
  output: tensorName,
  channels: count,
  gamma: tensorName,
  beta: tensorName,
  mean: tensorName,
  variance: tensorName,
});
export type BatchNormOp = z.infer<typeof batchnormSchema>;

export const batchnorm: OpDef<BatchNormOp> = {
  schema: batchnormSchema,
  inputs: (op) => [op.input],
  params: (op) => [
    { name: op.gamma, shape: [op.channels], kind: 'bn_gamma', trainable: true },
    { name: op.beta, shape: [op.channels], kind: 'bn_beta', trainable: true },
    { name: op.mean, shape: [op.channels], kind: 'bn_mean', trainable: false },
    { name: op.variance, shape: [op.channels], kind: 'bn_variance', trainable: false },
  ],
  shape: (op, [input]) => {
    if (input[input.length - 1] !== op.channels) throw new Error(`batchnorm '${op.name}' expects ${op.channels} channels, got [${input}]`);
    return input;
  },
  forward: (op, [x], { params, training, stats }) => {
    let mean: tf.Tensor;
    let variance: tf.Tensor;
    if (training) {
      const m = tf.moments(x, x.shape.map((_, i) => i).slice(0, -1));
      mean = m.mean;
      variance = m.variance;
      stats[op.name] = { mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
    } else {
      mean = params.get(op.mean);
      variance = params.get(op.variance);
    }
    const inv = tf.div(params.get(op.gamma), tf.sqrt(tf.add(variance, BN_EPSILON)));
    return tf.add(tf.mul(tf.sub(x, mean), inv), params.get(op.beta));
  },
  cost: (op) => ({ ...NO_COST, floatParams: 4 * op.channels }),
};
