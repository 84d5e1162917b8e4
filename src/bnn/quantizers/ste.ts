import * as tf from '@tensorflow/tfjs-core';
import type { Estimator } from './estimator';

/**
 * Straight-through estimator, clipped (Hubara et al. / BinaryConnect):
 *   d sign/dx ≈ 1[|x| ≤ 1]
 */
export const ste: Estimator = {
  name: 'ste',
  label: 'STE (clipped)',
  derivative: (x) => tf.tidy(() => tf.cast(tf.lessEqual(tf.abs(x), 1), 'float32')),
  derivativeAt: (x) => (Math.abs(x) <= 1 ? 1 : 0),
};
