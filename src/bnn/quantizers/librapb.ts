import * as tf from '@tensorflow/tfjs-core';
import { IR_NET } from '../papers';
import { PER_OUT_CHANNEL_AXES, type WeightTransform } from './weight-transform';
import { balanceStandardize } from './standardize';
import { detach } from './detach';

/**
 * Libra Parameter Binarization (IR-Net, Qin et al. CVPR 2020):
 *   ŵ = w − mean_o(w);  ŵs = ŵ / std_o(ŵ)          (unbiased std)
 *   s_o = 2^round(log2(mean_o |ŵs|))   (detached; a power of two becomes a bit shift)
 *   Bw = sign(ŵs) · s_o
 */
export const libraPB = {
  kind: 'weight-transform',
  name: 'librapb',
  label: 'Libra-PB',
  paper: IR_NET,
  explain: 'Balance and standardise each filter before sign(): half the bits +1, half −1 (maximum entropy).',
  formula: 'ŵs = (w − mean_o w) / std_o(w − mean_o w);  Bw = sign(ŵs) · 2^round(log2 mean_o|ŵs|)',
  scale: 'detached',
  apply: (w: tf.Tensor) => {
    const balanced = balanceStandardize(w);
    const scale = tf.tidy(() =>
      detach(tf.pow(2, tf.round(tf.div(tf.log(tf.mean(tf.abs(balanced), PER_OUT_CHANNEL_AXES)), Math.LN2)))),
    );
    return { balanced, scale };
  },
} as const satisfies WeightTransform;
