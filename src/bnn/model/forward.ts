import type * as tf from '@tensorflow/tfjs-core';
import { INPUT, type Architecture, type LayerOp } from './architecture';
import type { ParamStore } from './params';
import type { Estimator, EstimatorParams } from '../quantizers/estimator';
import type { WeightTransform } from '../quantizers/weight-transform';
import { opDef } from './ops';
import type { ForwardContext } from './ops/op-def';

export { binaryWeight } from './ops';

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
  opts: Pick<ForwardOptions, 'training' | 'quant'>,
  stats: ForwardResult['batchStats'],
): tf.Tensor {
  const def = opDef(op);
  const ctx: ForwardContext = { params, training: opts.training, quant: opts.quant, stats };
  return def.forward(op, def.inputs(op).map(get), ctx);
}
