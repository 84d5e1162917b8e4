import * as tf from '@tensorflow/tfjs-core';
import { BN_EPSILON, INPUT, type Architecture, type BatchNormOp, type ConvOp, type LayerOp } from './architecture';
import type { ParamStore } from './params';
import { conv2d, depthwiseConv2d } from './conv';
import { binarize, type Estimator, type EstimatorParams } from '../quantizers/estimator';
import type { WeightTransform } from '../quantizers/weight-transform';

/** One binarised tensor's backward estimator and its current t, k. */
export interface SignGradient {
  estimator: Estimator;
  tk: EstimatorParams;
}

/** How binary convs binarise: which weight transform, and each tensor's estimator at its t and k. */
export interface QuantContext {
  transform: WeightTransform;
  activation: SignGradient;
  weight: SignGradient;
}

export interface ForwardOptions {
  /** Training uses batch statistics in BN and reports them; inference uses the moving ones. */
  training: boolean;
  /** Required when the architecture has binary convs. */
  quant?: QuantContext;
  /** Tensor names to return besides the logits (e.g. the stage outputs). */
  keep?: readonly string[];
}

export interface ForwardResult {
  logits: tf.Tensor2D;
  outputs: Record<string, tf.Tensor>;
  /** Per BN op, the batch mean and (biased) variance seen in training mode. */
  batchStats: Record<string, { mean: tf.Tensor1D; variance: tf.Tensor1D }>;
}

/**
 * Runs the op list on a batch (NHWC). Call inside tf.tidy (or dispose the result): every
 * intermediate not returned is released by the caller's tidy.
 */
export function forward(arch: Architecture, params: ParamStore, x: tf.Tensor4D, opts: ForwardOptions): ForwardResult {
  const env = new Map<string, tf.Tensor>([[INPUT, x]]);
  const batchStats: ForwardResult['batchStats'] = {};
  const get = (name: string): tf.Tensor => {
    const t = env.get(name);
    if (!t) throw new Error(`forward: tensor '${name}' used before it is produced`);
    return t;
  };
  for (const op of arch.ops) {
    env.set(op.output, runOp(op, get, params, opts, batchStats));
  }
  const outputs: Record<string, tf.Tensor> = {};
  for (const k of opts.keep ?? []) outputs[k] = get(k);
  return { logits: get(arch.output) as tf.Tensor2D, outputs, batchStats };
}

/** One op of the list on tensors already computed (`get`); shared with BN calibration. */
export function runOp(
  op: LayerOp,
  get: (n: string) => tf.Tensor,
  params: ParamStore,
  opts: ForwardOptions,
  stats: ForwardResult['batchStats'],
): tf.Tensor {
  switch (op.op) {
    case 'conv2d':
      return runConv(op, get(op.input) as tf.Tensor4D, params, opts.quant);
    case 'dwconv2d':
      return depthwiseConv2d(get(op.input) as tf.Tensor4D, params.get(op.weight) as tf.Tensor as tf.Tensor4D, op.pad);
    case 'batchnorm':
      return runBatchNorm(op, get(op.input), params, opts.training, stats);
    case 'hardtanh':
      return tf.clipByValue(get(op.input), -1, 1);
    case 'add':
      return tf.add(get(op.inputs[0]), get(op.inputs[1]));
    case 'shortcut_a':
      return shortcutA(get(op.input) as tf.Tensor4D, op.stride, op.padBefore, op.padAfter);
    case 'avgpool':
      return tf.avgPool(get(op.input) as tf.Tensor4D, op.size, op.size, 'valid');
    case 'concat':
      return tf.concat(op.inputs.map(get), 3);
    case 'slice_channels': {
      const t = get(op.input) as tf.Tensor4D;
      return tf.slice(t, [0, 0, 0, 0], [-1, -1, -1, op.count]);
    }
    case 'global_avgpool':
      return tf.mean(get(op.input), [1, 2]);
    case 'dense':
      return tf.add(tf.matMul(get(op.input) as tf.Tensor2D, params.get(op.weight) as tf.Tensor as tf.Tensor2D), params.get(op.bias));
  }
}

function runConv(op: ConvOp, x: tf.Tensor4D, params: ParamStore, quant: QuantContext | undefined): tf.Tensor4D {
  const w = params.get(op.weight) as tf.Tensor as tf.Tensor4D;
  if (!op.binary) return conv2d(x, w, op.stride, op.pad);
  if (!quant) throw new Error(`binary conv '${op.name}' needs a quantisation context`);
  return conv2d(binarize(x, quant.activation.estimator, quant.activation.tk) as tf.Tensor4D, binaryWeight(w, quant), op.stride, op.pad);
}

/** Bw = sign(balanced) · scale, with the weights' estimator in the backward pass. */
export function binaryWeight(w: tf.Tensor4D, quant: QuantContext): tf.Tensor4D {
  const { balanced, scale } = quant.transform.apply(w);
  const signs = binarize(balanced, quant.weight.estimator, quant.weight.tk) as tf.Tensor4D;
  return scale ? (tf.mul(signs, scale) as tf.Tensor4D) : signs;
}

/**
 * y = γ · (x − μ) / √(σ² + ε) + β over all axes but the channel axis; μ, σ² are the batch
 * statistics in training (reported for the moving-average update) and the moving ones otherwise.
 */
function runBatchNorm(
  op: BatchNormOp,
  x: tf.Tensor,
  params: ParamStore,
  training: boolean,
  stats: ForwardResult['batchStats'],
): tf.Tensor {
  let mean: tf.Tensor;
  let variance: tf.Tensor;
  if (training) {
    const axes = x.shape.map((_, i) => i).slice(0, -1);
    const m = tf.moments(x, axes);
    mean = m.mean;
    variance = m.variance;
    stats[op.name] = { mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  } else {
    mean = params.get(op.mean);
    variance = params.get(op.variance);
  }
  const inv = tf.div(params.get(op.gamma), tf.sqrt(tf.add(variance, BN_EPSILON)));
  return tf.add(tf.mul(tf.sub(x, mean), inv), params.get(op.beta));
}

/**
 * Option-A shortcut: x[:, ::s, ::s, :] then zero channels before/after. Written with pad, reshape
 * and slice (tfjs has no StridedSlice gradient), keeping every tensor at rank ≤ 4 because the
 * WebGL backend cannot compile its packed pad (the slice gradient) above rank 4: pad H, W up to
 * multiples of s, then keep the first row of every s rows and the first column of every s columns.
 */
function shortcutA(x: tf.Tensor4D, s: number, before: number, after: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const ho = Math.ceil(h / s);
  const wo = Math.ceil(w / s);
  let y = x;
  if (s > 1) {
    const padded = h === ho * s && w === wo * s ? x : tf.pad(x, [[0, 0], [0, ho * s - h], [0, wo * s - w], [0, 0]]);
    const rows = tf.slice(padded.reshape([n * ho, s, wo * s, c]), [0, 0, 0, 0], [n * ho, 1, wo * s, c]);
    const cols = tf.slice(rows.reshape([n * ho, wo, s, c]), [0, 0, 0, 0], [n * ho, wo, 1, c]);
    y = cols.reshape([n, ho, wo, c]);
  }
  return before || after ? tf.pad(y, [[0, 0], [0, 0], [0, 0], [before, after]]) : y;
}
