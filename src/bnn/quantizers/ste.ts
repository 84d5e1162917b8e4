import * as tf from '@tensorflow/tfjs-core';
import { BASELINES } from '../papers';
import type { Estimator } from './estimator';

/**
 * Straight-through estimator, clipped (Hubara et al. / BinaryConnect):
 *   d sign/dx ≈ 1[|x| ≤ 1]
 */
export const ste = {
  kind: 'estimator',
  name: 'ste',
  label: 'STE (clipped)',
  paper: BASELINES,
  explain: 'Straight-through: pass the gradient unchanged inside [−1, 1], drop it outside.',
  formula: 'd sign/dx ≈ 1[|x| ≤ 1]',
  derivative: (x) => tf.tidy(() => tf.cast(tf.lessEqual(tf.abs(x), 1), 'float32')),
  derivativeAt: (x) => (Math.abs(x) <= 1 ? 1 : 0),
} as const satisfies Estimator;
