import type * as tf from '@tensorflow/tfjs-core';

/**
 * A weight transform turns a binary conv's latent float weight w (HWIO, out-channel last) into
 * the tensor that is binarised (`balanced`) and an optional per-out-channel scale, so that
 *   Bw = sign(balanced) · scale_o
 * Export stores exactly sign(balanced) and scale, i.e. the bits the forward pass uses.
 */
export interface WeightTransform {
  readonly name: WeightTransformName;
  readonly label: string;
  apply(w: tf.Tensor): { balanced: tf.Tensor; scale: tf.Tensor | null };
}

export type WeightTransformName = 'none' | 'xnor' | 'librapb' | 'imb';

/** Axes holding everything but the out channel of an HWIO conv weight. */
export const PER_OUT_CHANNEL_AXES = [0, 1, 2];
