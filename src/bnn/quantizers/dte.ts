import * as tf from '@tensorflow/tfjs-core';
import type { Estimator } from './estimator';
import { detach } from './detach';

/**
 * Distribution-sensitive Two-stage Estimator (DIR-Net, Qin et al. IJCV 2023) — our reading of the
 * paper, which has no public code. The input is measured in units of its own spread:
 *   u = x / σ,  σ = std(x) over the whole tensor, detached
 *   d sign/dx ≈ k · t · (1 − tanh²(t·u)) / σ
 * Two stages (see train/schedules.ts dteSchedule): for p < p_switch k·t = 1 while t rises from Tmin
 * to 1 (a wide, identity-like slope keeps gradients flowing); afterwards k = 1 while t rises from 1 to
 * Tmax (the estimator sharpens towards sign). With IMB weights are standardised, so σ ≈ 1 there.
 * derivativeAt assumes σ = 1 (the curve over standardised inputs).
 */
export const dte: Estimator = {
  name: 'dte',
  label: 'DTE (DIR-Net, our reading)',
  derivative: (x, { t, k }) =>
    tf.tidy(() => {
      const sigma = detach(tf.add(tf.sqrt(tf.moments(x).variance), 1e-8));
      const u = tf.div(x, sigma);
      return tf.div(tf.mul(k * t, tf.sub(1, tf.square(tf.tanh(tf.mul(u, t))))), sigma);
    }),
  derivativeAt: (x, { t, k }) => {
    const th = Math.tanh(t * x);
    return k * t * (1 - th * th);
  },
};
