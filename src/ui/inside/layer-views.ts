import type { LayerStatsEntry } from '../../bnn/train/layer-stats';
import { GRADIENT_SHARE_THRESHOLD } from '../../bnn/train/layer-stats';
import type { AxisBounds } from '../charts/axis';

/** A per-layer metric of LayerStatsEntry as a chart shows it. */
export interface LayerMetric {
  key: { [K in keyof LayerStatsEntry]: LayerStatsEntry[K] extends number | null ? K : never }[keyof LayerStatsEntry];
  title: string;
  unit: string;
  bounds?: AxisBounds;
  testId: string;
}

export type InsideView = 'entropy' | 'flips' | 'weights' | 'gradients' | 'bn' | 'estimator' | 'masks';

const share: AxisBounds = { min: 0, max: 1 };
const bits: AxisBounds = { min: 0, max: 1 };
const threshold = `≥ ${GRADIENT_SHARE_THRESHOLD} of STE's pass-through`;

/** The per-layer charts of each view of "Inside a run", with their units. */
export const LAYER_METRICS: Readonly<Record<InsideView, readonly LayerMetric[]>> = {
  entropy: [
    { key: 'weightEntropy', title: 'Weight entropy, whole layer', unit: 'bits; 1 = balanced ±1', bounds: bits, testId: 'chart-weight-entropy' },
    { key: 'weightEntropyMin', title: 'Weight entropy, lowest channel', unit: 'bits', bounds: bits, testId: 'chart-weight-entropy-min' },
    { key: 'weightEntropyStd', title: 'Weight entropy, spread over channels', unit: 'bits, std', bounds: { min: 0 }, testId: 'chart-weight-entropy-std' },
    { key: 'activationEntropy', title: 'Activation entropy, whole layer', unit: 'bits, on the probe images', bounds: bits, testId: 'chart-activation-entropy' },
    { key: 'activationEntropyMin', title: 'Activation entropy, lowest channel', unit: 'bits', bounds: bits, testId: 'chart-activation-entropy-min' },
    { key: 'activationEntropyStd', title: 'Activation entropy, spread over channels', unit: 'bits, std', bounds: { min: 0 }, testId: 'chart-activation-entropy-std' },
  ],
  flips: [
    { key: 'flippedSinceInit', title: 'Binary weights flipped since initialisation', unit: 'share of weights', bounds: share, testId: 'chart-flipped-since-init' },
    { key: 'flipRatio', title: 'Binary weights flipped since the previous measurement', unit: 'share of weights per interval', bounds: share, testId: 'chart-flip-ratio' },
  ],
  weights: [{ key: 'quantError', title: 'Quantisation error ‖ŵ − α·b‖ / ‖ŵ‖', unit: 'relative, 0 = exact', bounds: { min: 0 }, testId: 'chart-quant-error' }],
  gradients: [
    { key: 'gradNorm', title: 'Latent-weight gradient norm', unit: 'L2', bounds: { min: 0 }, testId: 'chart-grad-norm' },
    { key: 'weightGradShare', title: 'Weights that receive a gradient', unit: `share with estimator slope ${threshold}`, bounds: share, testId: 'chart-weight-grad-share' },
    { key: 'activationGradShare', title: 'Activations that receive a gradient', unit: `share with estimator slope ${threshold}`, bounds: share, testId: 'chart-activation-grad-share' },
  ],
  bn: [
    {
      key: 'signDisagreement',
      title: 'BN health: signs that change between training and inference',
      unit: 'share of sign inputs, batch vs held statistics',
      bounds: share,
      testId: 'chart-sign-disagreement',
    },
  ],
  estimator: [],
  masks: [],
};

/** The stage a binary conv belongs to ("s2.b0.conv1" → "s2"), for the layer picker. */
export function stageOf(layer: string): string {
  return /^(s\d+)\./.exec(layer)?.[1] ?? layer;
}

/** Early layers blue, late layers red. */
export function layerColor(i: number, n: number): string {
  const t = n > 1 ? i / (n - 1) : 0;
  return `hsl(${Math.round(220 - 220 * t)}, 70%, 48%)`;
}
