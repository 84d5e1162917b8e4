import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/** Start a tfjs backend for a test file and fail loudly if tfjs fell back to another one. */
export async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) throw new Error(`backend ${name} did not start`);
}

/** Gradient of sum(f(x) · dyWeights) w.r.t. x, as a plain array. */
export function gradOf(f: (x: tf.Tensor) => tf.Tensor, x: number[]): number[] {
  return tf.tidy(() => Array.from(tf.grad((t: tf.Tensor) => tf.sum(f(t)))(tf.tensor1d(x)).dataSync()));
}

export function values(t: tf.Tensor): number[] {
  return Array.from(t.dataSync());
}
