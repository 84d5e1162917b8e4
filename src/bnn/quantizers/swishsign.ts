import * as tf from '@tensorflow/tfjs-core';
import type { Estimator } from './estimator';
import type { Paper } from '../papers';

/** BNN+ (Darabi et al., arXiv 1812.11800), the paper of SwishSign; Larq ships the same estimator. */
const BNN_PLUS: Paper = { id: 'bnn-plus', short: 'BNN+', citation: 'Darabi et al., BNN+: Improved Binary Network Training, arXiv 1812.11800' };

/** β of the SwishSign curve: Larq's default. */
export const SWISH_BETA = 5;

/**
 * SwishSign (BNN+; Larq's `swish_sign`): the backward pass uses the derivative of the smooth
 * sign approximation
 *   SS_β(x) = 2σ(βx)·(1 + βx·(1 − σ(βx))) − 1
 *   d sign/dx ≈ SS_β'(x) = β · (2 − βx · tanh(βx/2)) / (1 + cosh(βx))
 * with β = 5. Unlike the clipped STE it is smooth, peaks at β for x = 0 and turns slightly
 * negative for |x| ≳ 2.4/β, which pushes values away from the threshold.
 */
export const swishSign = {
  kind: 'estimator',
  name: 'swishsign',
  label: 'SwishSign',
  paper: BNN_PLUS,
  explain: 'The derivative of a swish-shaped smooth sign (β = 5): smooth, with small negative tails.',
  formula: 'd sign/dx ≈ β·(2 − βx·tanh(βx/2)) / (1 + cosh(βx)),  β = 5',
  derivative: (x: tf.Tensor) =>
    tf.tidy(() => {
      const bx = tf.mul(x, SWISH_BETA);
      return tf.div(tf.mul(SWISH_BETA, tf.sub(2, tf.mul(bx, tf.tanh(tf.div(bx, 2))))), tf.add(1, tf.cosh(bx)));
    }),
  derivativeAt: (x: number) => {
    const bx = SWISH_BETA * x;
    return (SWISH_BETA * (2 - bx * Math.tanh(bx / 2))) / (1 + Math.cosh(bx));
  },
} as const satisfies Estimator;
