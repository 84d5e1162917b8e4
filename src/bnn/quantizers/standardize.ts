import * as tf from '@tensorflow/tfjs-core';
import { PER_OUT_CHANNEL_AXES } from './weight-transform';

/**
 * Balance and standardise per out channel (shared by Libra-PB and IMB):
 *   ŵ = w − mean_o(w);  ŵs = ŵ / std_o(ŵ)   (unbiased std, n − 1)
 * Zero mean maximises the entropy of sign(ŵs) (half +1, half −1); unit std fixes the scale the
 * estimators see. Gradients flow through mean and std.
 */
export function balanceStandardize(w: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const n = w.size / w.shape[w.shape.length - 1];
    const centred = tf.sub(w, tf.mean(w, PER_OUT_CHANNEL_AXES, true));
    const variance = tf.div(tf.sum(tf.square(centred), PER_OUT_CHANNEL_AXES, true), n - 1);
    return tf.div(centred, tf.sqrt(tf.add(variance, 1e-12)));
  });
}
