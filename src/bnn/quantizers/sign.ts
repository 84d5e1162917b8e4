import * as tf from '@tensorflow/tfjs-core';

/**
 * sign(x) with sign(0) = +1, as every binary layer, the kernels and the export format assume.
 * tf.sign returns 0 at 0, which would put a third value into a "binary" tensor.
 *   sign(x) = +1 if x >= 0, −1 otherwise
 */
export function signPlusOne(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(tf.mul(tf.cast(tf.greaterEqual(x, 0), 'float32'), 2), 1));
}

/** Scalar form for charts and reference code. */
export function signScalar(x: number): number {
  return x >= 0 ? 1 : -1;
}
