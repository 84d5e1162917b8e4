import * as tf from '@tensorflow/tfjs-core';

/**
 * Mean softmax cross-entropy with integer labels:
 *   CE = mean_i ( logsumexp(z_i) − z_i[y_i] )
 * Written with logSumExp (the wasm backend has no LogSoftmax kernel).
 */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const picked = tf.sum(tf.mul(logits, tf.oneHot(labels, logits.shape[1])), 1);
    return tf.mean(tf.sub(tf.logSumExp(logits, 1), picked)) as tf.Scalar;
  });
}

/** Fraction of rows whose arg-max equals the label. */
export function accuracy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')) as tf.Scalar);
}
