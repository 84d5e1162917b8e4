import * as tf from '@tensorflow/tfjs-core';
import { DIR_NET } from '../papers';
import { PER_OUT_CHANNEL_AXES, type WeightTransform } from './weight-transform';
import { balanceStandardize } from './standardize';
import { detach } from './detach';

/**
 * Information Maximized Binarization (DIR-Net, Qin et al. IJCV 2023) — our reading of the paper,
 * which has no public code. The same balance and standardisation as Libra-PB, with the scale that
 * minimises the binarisation error ‖ŵs − α·sign(ŵs)‖² instead of a power of two:
 *   ŵs = (w − mean_o w) / std_o(w − mean_o w);  α_o = mean_o |ŵs|  (detached, not rounded)
 *   Bw = sign(ŵs) · α_o
 */
export const imb = {
  kind: 'weight-transform',
  name: 'imb',
  label: 'IMB',
  paper: DIR_NET,
  ourReading: true,
  explain: "Our reading of the paper: Libra-PB's balance and standardisation with the error-minimising scale.",
  formula: 'ŵs as Libra-PB;  Bw = sign(ŵs) · mean_o|ŵs|  (not rounded, detached)',
  scale: 'detached',
  apply: (w: tf.Tensor) => {
    const balanced = balanceStandardize(w);
    const scale = tf.tidy(() => detach(tf.mean(tf.abs(balanced), PER_OUT_CHANNEL_AXES)));
    return { balanced, scale };
  },
} as const satisfies WeightTransform;
