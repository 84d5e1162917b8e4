import * as tf from '@tensorflow/tfjs-core';

/**
 * tf.customGrad with typed tensor arguments. Tensors the backward pass needs must go through
 * `save`: intermediates created in the forward pass are disposed when it ends, and only saved
 * tensors are kept for backprop.
 */
export function customGrad<A extends tf.Tensor[], R extends tf.Tensor>(
  f: (
    inputs: A,
    save: tf.GradSaveFunc,
  ) => { value: R; gradFunc: (dy: R, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[] },
): (...inputs: A) => R {
  const wrapped = (...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    return f(args as A, save);
  };
  return tf.customGrad(wrapped as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...inputs: A) => R;
}
