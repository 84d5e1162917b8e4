import * as tf from '@tensorflow/tfjs-core';
import { DIR_NET } from '../papers';
import type { Estimator, EstimatorParams, ScheduleSettings } from './estimator';
import { clamp01, logInterp, T_SCHEDULE_SETTINGS } from './log-interp';
import { detach } from './detach';

/**
 * Distribution-sensitive Two-stage Estimator (DIR-Net, Qin et al. IJCV 2023) — our reading of the
 * paper, which has no public code. The input is measured in units of its own spread:
 *   u = x / σ,  σ = std(x) over the whole tensor, detached
 *   d sign/dx ≈ k · t · (1 − tanh²(t·u)) / σ
 * Two stages (dteSchedule below): for p < p_switch k·t = 1 while t rises from Tmin
 * to 1 (a wide, identity-like slope keeps gradients flowing); afterwards k = 1 while t rises from 1 to
 * Tmax (the estimator sharpens towards sign). With IMB weights are standardised, so σ ≈ 1 there.
 * derivativeAt assumes σ = 1 (the curve over standardised inputs).
 */
export const dte = {
  kind: 'estimator',
  name: 'dte',
  label: 'DTE',
  paper: DIR_NET,
  ourReading: true,
  explain: "Our reading of the paper: a two-stage tanh estimator measured in units of the tensor's own std.",
  formula: 'u = x/σ;  d sign/dx ≈ k·t·(1 − tanh²(t·u))/σ;  stage 1: k·t = 1, t: Tmin→1;  stage 2: k = 1, t: 1→Tmax',
  settings: [
    ...T_SCHEDULE_SETTINGS,
    { key: 'pSwitch', label: 'Stage switch p', kind: 'number', min: 0.05, max: 0.95, testId: 'pswitch' },
  ],
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
  schedule: (p: number, s: ScheduleSettings) => dteSchedule(p, s.tMin, s.tMax, s.pSwitch),
} as const satisfies Estimator;

/**
 * DTE's schedule (our reading), two stages split at p_switch:
 *   stage 1 (p < p_switch): t = logInterp(Tmin, 1, p / p_switch),                 k = 1/t  (k·t = 1)
 *   stage 2 (p ≥ p_switch): t = logInterp(1, Tmax, (p − p_switch)/(1 − p_switch)), k = 1
 */
export function dteSchedule(p: number, tMin: number, tMax: number, pSwitch: number): EstimatorParams {
  const q = clamp01(p);
  if (q < pSwitch) {
    const t = logInterp(tMin, 1, q / pSwitch);
    return { t, k: 1 / t };
  }
  const t = logInterp(1, tMax, pSwitch >= 1 ? 1 : (q - pSwitch) / (1 - pSwitch));
  return { t, k: 1 };
}
