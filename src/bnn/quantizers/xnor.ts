import * as tf from '@tensorflow/tfjs-core';
import { XNOR_NET } from '../papers';
import { PER_OUT_CHANNEL_AXES, type WeightTransform } from './weight-transform';

/**
 * XNOR-Net scale (Rastegari et al. 2016):
 *   Bw = sign(w) · α_o,  α_o = mean_o |w|   (α is not detached: its gradient flows to w)
 */
export const xnorScale = {
  kind: 'weight-transform',
  name: 'xnor',
  label: 'XNOR-Net scale',
  paper: XNOR_NET,
  explain: "Multiply each filter's signs by the mean magnitude of its weights.",
  formula: 'Bw = sign(w) · α_o,  α_o = mean_o |w|',
  scale: 'differentiable',
  apply: (w: tf.Tensor) => ({ balanced: w, scale: tf.mean(tf.abs(w), PER_OUT_CHANNEL_AXES) }),
} as const satisfies WeightTransform;
