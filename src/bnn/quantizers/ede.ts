import * as tf from '@tensorflow/tfjs-core';
import { IR_NET } from '../papers';
import type { Estimator, EstimatorParams, ScheduleSettings } from './estimator';
import { clamp01, logInterp, T_SCHEDULE_SETTINGS } from './log-interp';

/**
 * Error Decay Estimator (IR-Net, Qin et al. CVPR 2020):
 *   d sign/dx ≈ k · t · (1 − tanh²(t·x))
 * with t, k from the schedule (see train/schedules.ts):
 *   t = 10^(log10 Tmin + (log10 Tmax − log10 Tmin) · p),  k = max(1/t, 1),  p = training progress.
 * Early (small t) it behaves like an identity with full gradient everywhere; late (large t) it
 * approaches the true sign derivative, so the gradient error decays as training converges.
 */
export const ede = {
  kind: 'estimator',
  name: 'ede',
  label: 'EDE',
  paper: IR_NET,
  explain: 'Error Decay Estimator: a tanh surrogate gradient that sharpens from identity to sign over training.',
  formula: 'd sign/dx ≈ k·t·(1 − tanh²(t·x)),  t = 10^(log10 Tmin + p·(log10 Tmax − log10 Tmin)),  k = max(1/t, 1)',
  settings: T_SCHEDULE_SETTINGS,
  derivative: (x, { t, k }) =>
    tf.tidy(() => tf.mul(k * t, tf.sub(1, tf.square(tf.tanh(tf.mul(x, t)))))),
  derivativeAt: (x, { t, k }) => {
    const th = Math.tanh(t * x);
    return k * t * (1 - th * th);
  },
  schedule: (p: number, s: ScheduleSettings) => edeSchedule(p, s.tMin, s.tMax),
} as const satisfies Estimator;

/**
 * EDE's schedule (IR-Net):
 *   t = 10^(log10 Tmin + (log10 Tmax − log10 Tmin) · p),  k = max(1/t, 1)
 */
export function edeSchedule(p: number, tMin: number, tMax: number): EstimatorParams {
  const t = logInterp(tMin, tMax, clamp01(p));
  return { t, k: Math.max(1 / t, 1) };
}
