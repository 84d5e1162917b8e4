import type * as tf from '@tensorflow/tfjs-core';
import { BASELINES } from '../papers';
import type { WeightTransform } from './weight-transform';

/** No transform: Bw = sign(w). */
export const noTransform = {
  kind: 'weight-transform',
  name: 'none',
  label: 'sign(w)',
  paper: BASELINES,
  explain: 'The plain sign of the latent weight, no scale.',
  formula: 'Bw = sign(w)',
  scale: 'none',
  apply: (w: tf.Tensor) => ({ balanced: w, scale: null }),
} as const satisfies WeightTransform;
