import type * as tf from '@tensorflow/tfjs-core';
import type { TechniqueInfo } from '../papers';

/**
 * A weight transform turns a binary conv's latent float weight w (HWIO, out-channel last) into
 * the tensor that is binarised (`balanced`) and an optional per-out-channel scale, so that
 *   Bw = sign(balanced) · scale_o
 * Export stores exactly sign(balanced) and scale, i.e. the bits the forward pass uses.
 */
export interface WeightTransform extends TechniqueInfo {
  readonly kind: 'weight-transform';
  /**
   * The per-out-channel scale it carries: none, one the gradient flows through, or a detached
   * one. A scale in front of a BatchNorm with batch statistics cancels out in training (BN
   * divides it away), so such transforms can differ from sign(w) only through `balanced`.
   */
  readonly scale: 'none' | 'differentiable' | 'detached';
  apply(w: tf.Tensor): { balanced: tf.Tensor; scale: tf.Tensor | null };
}

/** Axes holding everything but the out channel of an HWIO conv weight. */
export const PER_OUT_CHANNEL_AXES = [0, 1, 2];
