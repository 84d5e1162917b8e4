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

/** Charts shown together; a view with several groups has a picker (fewer charts redraw while a run trains). */
export interface LayerMetricGroup {
  id: string;
  label: string;
  metrics: readonly LayerMetric[];
}

const one = (metrics: readonly LayerMetric[]): readonly LayerMetricGroup[] => [{ id: 'all', label: 'all', metrics }];

/** The per-layer charts of each view of "Inside a run", with their units. */
export const LAYER_METRICS: Readonly<Record<InsideView, readonly LayerMetricGroup[]>> = {
  entropy: [
    {
      id: 'layer',
      label: 'whole layer',
      metrics: [
        { key: 'weightEntropy', title: 'Weight entropy, whole layer', unit: 'bits; 1 = balanced ±1', bounds: bits, testId: 'chart-weight-entropy' },
        { key: 'activationEntropy', title: 'Activation entropy, whole layer', unit: 'bits, on the probe images', bounds: bits, testId: 'chart-activation-entropy' },
      ],
    },
    {
      id: 'lowest',
      label: 'lowest channel',
      metrics: [
        { key: 'weightEntropyMin', title: 'Weight entropy, lowest channel', unit: 'bits', bounds: bits, testId: 'chart-weight-entropy-min' },
        { key: 'activationEntropyMin', title: 'Activation entropy, lowest channel', unit: 'bits, on the probe images', bounds: bits, testId: 'chart-activation-entropy-min' },
      ],
    },
    {
      id: 'spread',
      label: 'spread over channels',
      metrics: [
        { key: 'weightEntropyStd', title: 'Weight entropy, spread over channels', unit: 'bits, std', bounds: { min: 0 }, testId: 'chart-weight-entropy-std' },
        { key: 'activationEntropyStd', title: 'Activation entropy, spread over channels', unit: 'bits, std', bounds: { min: 0 }, testId: 'chart-activation-entropy-std' },
      ],
    },
  ],
  flips: one([
    { key: 'flippedSinceInit', title: 'Binary weights flipped since initialisation', unit: 'share of weights', bounds: share, testId: 'chart-flipped-since-init' },
    { key: 'flipRatio', title: 'Binary weights flipped since the previous measurement', unit: 'share of weights per interval', bounds: share, testId: 'chart-flip-ratio' },
  ]),
  weights: one([{ key: 'quantError', title: 'Quantisation error ‖ŵ − α·b‖ / ‖ŵ‖', unit: 'relative, 0 = exact', bounds: { min: 0 }, testId: 'chart-quant-error' }]),
  gradients: [
    {
      id: 'share',
      label: 'share that gets a gradient',
      metrics: [
        { key: 'weightGradShare', title: 'Weights that receive a gradient', unit: `share with estimator slope ${threshold}`, bounds: share, testId: 'chart-weight-grad-share' },
        { key: 'activationGradShare', title: 'Activations that receive a gradient', unit: `share with estimator slope ${threshold}`, bounds: share, testId: 'chart-activation-grad-share' },
      ],
    },
    { id: 'norm', label: 'gradient norm', metrics: [{ key: 'gradNorm', title: 'Latent-weight gradient norm', unit: 'L2', bounds: { min: 0 }, testId: 'chart-grad-norm' }] },
  ],
  bn: one([
    {
      key: 'signDisagreement',
      title: 'BN health: signs that change between training and inference',
      unit: 'share of sign inputs, batch vs held statistics',
      bounds: share,
      testId: 'chart-sign-disagreement',
    },
  ]),
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
