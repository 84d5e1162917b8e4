import * as tf from '@tensorflow/tfjs-core';
import { BI_REAL } from '../papers';
import type { Estimator } from './estimator';

/**
 * ApproxSign (Bi-Real Net, Liu et al. 2018): the derivative of a piecewise quadratic sign:
 *   d sign/dx ≈ 2 − 2|x|  for |x| ≤ 1,  0 otherwise
 */
export const approxSign = {
  kind: 'estimator',
  name: 'approxsign',
  label: 'ApproxSign',
  paper: BI_REAL,
  explain: 'A piecewise-quadratic surrogate gradient of sign.',
  formula: 'd sign/dx ≈ 2 − 2|x| for |x| ≤ 1, else 0',
  officialWeightEstimator: 'ste',
  derivative: (x) => tf.tidy(() => tf.relu(tf.sub(2, tf.mul(2, tf.abs(x))))),
  derivativeAt: (x) => (Math.abs(x) <= 1 ? 2 - 2 * Math.abs(x) : 0),
} as const satisfies Estimator;
