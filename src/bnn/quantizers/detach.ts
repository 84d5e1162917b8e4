import * as tf from '@tensorflow/tfjs-core';

/** Identity in the forward pass, zero gradient in the backward pass (tfjs has no stop_gradient). */
export function detach(x: tf.Tensor): tf.Tensor {
  const f = tf.customGrad((input: tf.Tensor) => ({
    value: tf.clone(input),
    gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
  }));
  return f(x);
}
