/**
 * The tfjs forward pass (src/bnn/model/forward.ts, inference mode) of the model an
 * EngineSource describes: the same op list and the same binary weights, run by tfjs on the
 * active backend. The benchmark's tfjs peer and a cross-check of the engine.
 *
 * Binary convs hold their signs as weights and a weight transform that hands back the
 * precomputed per-channel scale, so the forward computes Bw = sign(signs) · scale = signs ·
 * scale without re-deriving it from latent weights on every call.
 */
import * as tf from '@tensorflow/tfjs-core';
import { forward } from '../bnn/model/forward';
import { ParamStore, type ParamSnapshot } from '../bnn/model/params';
import { quantContextFor } from '../bnn/model/model';
import { getWeightTransform } from '../bnn/quantizers/registry';
import type { WeightTransform } from '../bnn/quantizers/weight-transform';
import type { EngineSource } from './engine';

export interface TfjsModel {
  /** Logits [n, classes] of NHWC images (the caller disposes them). */
  run(x: tf.Tensor4D): tf.Tensor2D;
  dispose(): void;
}

/** Builds the tfjs model on the active backend (its variables live there). */
export function tfjsModelOf(source: EngineSource): TfjsModel {
  const { arch } = source;
  const snapshot: ParamSnapshot = {};
  for (const p of arch.params) {
    const s = source.params[p.name];
    if (s) snapshot[p.name] = { shape: [...s.shape], data: s.data };
  }
  for (const b of source.binary) {
    const op = arch.ops.find((o) => o.name === b.name);
    if (!op || op.op !== 'conv2d') throw new Error(`no conv op '${b.name}'`);
    snapshot[op.weight] = { shape: [...b.shape], data: b.signs };
  }
  // The tidy releases the plain tensors ParamStore wraps into variables (the variables stay).
  let params!: ParamStore;
  tf.tidy(() => {
    params = ParamStore.fromSnapshot(arch, snapshot);
  });
  const scales = new Map<tf.Tensor, tf.Tensor>();
  for (const b of source.binary) {
    const op = arch.ops.find((o) => o.name === b.name);
    if (b.scale && op?.op === 'conv2d') scales.set(params.get(op.weight), tf.tensor1d(b.scale));
  }
  const transform: WeightTransform = {
    ...getWeightTransform('none'),
    label: 'fixed signs and scales',
    apply: (w) => ({ balanced: w, scale: scales.get(w) ?? null }),
  };
  const quant = source.binary.length > 0 ? quantContextFor({ activationEstimator: 'ste', weightEstimator: 'ste' }, transform) : undefined;
  return {
    run: (x) => tf.tidy(() => forward(arch, params, x, { training: false, quant }).logits),
    dispose: () => {
      params.dispose();
      for (const s of scales.values()) s.dispose();
    },
  };
}
