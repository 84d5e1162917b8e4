import type { RunConfig } from './config';
import { MODEL_TECHNIQUES } from './model-techniques';
import { getEstimator, getWeightTransform } from './quantizers/registry';

type Techniques = Pick<
  RunConfig,
  'precision' | 'weightTransform' | 'activationEstimator' | 'weightEstimator' | 'restriction' | 'recovery' | 'rsign' | 'blockActivation' | 'distill' | 'kd'
>;

/**
 * What a config switches on, in the registries' own labels, e.g. "Libra-PB + EDE" or
 * "sign(w) + ApproxSign / STE (clipped) + Information restriction": the run names, the ablation
 * rows and the toggles all say the same words. The estimators read activations / weights when
 * they differ. Settings a technique needs (λ, β, …) are not part of it.
 */
export function techniqueLabel(c: Partial<Techniques> & Pick<Techniques, 'precision' | 'weightTransform' | 'activationEstimator' | 'weightEstimator'>): string {
  const m = MODEL_TECHNIQUES;
  const parts: string[] = [];
  if (c.precision === 'full') parts.push('full precision');
  else {
    const act = getEstimator(c.activationEstimator).label;
    const wts = getEstimator(c.weightEstimator).label;
    parts.push(getWeightTransform(c.weightTransform).label, act === wts ? act : `${act} / ${wts}`);
  }
  if (c.restriction) parts.push(m.restriction.label);
  if (c.recovery && c.recovery !== 'off') parts.push(`${m.recovery.label} (${c.recovery})`);
  if (c.rsign) parts.push(m.rsign.label);
  if (c.blockActivation === 'rprelu') parts.push(m.rprelu.label);
  if (c.distill && c.precision !== 'full') parts.push(m.distill.label);
  if (c.kd && c.precision !== 'full') parts.push(m.kd.label);
  return parts.join(' + ');
}
