import * as tf from '@tensorflow/tfjs-core';
import { PER_OUT_CHANNEL_AXES, type WeightTransform } from './weight-transform';
import { balanceStandardize } from './standardize';
import { detach } from './detach';

/**
 * Libra Parameter Binarization (IR-Net, Qin et al. CVPR 2020):
 *   ŵ = w − mean_o(w);  ŵs = ŵ / std_o(ŵ)          (unbiased std)
 *   s_o = 2^round(log2(mean_o |ŵs|))   (detached; a power of two becomes a bit shift)
 *   Bw = sign(ŵs) · s_o
 */
export const libraPB: WeightTransform = {
  name: 'librapb',
  label: 'Libra-PB (IR-Net)',
  apply: (w) => {
    const balanced = balanceStandardize(w);
    const scale = tf.tidy(() =>
      detach(tf.pow(2, tf.round(tf.div(tf.log(tf.mean(tf.abs(balanced), PER_OUT_CHANNEL_AXES)), Math.LN2)))),
    );
    return { balanced, scale };
  },
};
