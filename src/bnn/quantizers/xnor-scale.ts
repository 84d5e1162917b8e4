import * as tf from '@tensorflow/tfjs-core';
import { PER_OUT_CHANNEL_AXES, type WeightTransform } from './weight-transform';

/**
 * XNOR-Net scale (Rastegari et al. 2016):
 *   Bw = sign(w) · α_o,  α_o = mean_o |w|   (α is not detached: its gradient flows to w)
 */
export const xnorScale: WeightTransform = {
  name: 'xnor',
  label: 'XNOR-Net scale',
  apply: (w) => ({ balanced: w, scale: tf.mean(tf.abs(w), PER_OUT_CHANNEL_AXES) }),
};
