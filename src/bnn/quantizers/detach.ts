import * as tf from '@tensorflow/tfjs-core';
import { customGrad } from '../custom-grad';

/** Identity in the forward pass, zero gradient in the backward pass (tfjs has no stop_gradient). */
export function detach(x: tf.Tensor): tf.Tensor {
  const f = customGrad(([input]: [tf.Tensor]) => ({
    value: tf.clone(input),
    gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
  }));
  return f(x);
}
