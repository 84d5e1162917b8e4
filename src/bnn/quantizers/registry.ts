import type { Estimator } from './estimator';
import type { WeightTransform } from './weight-transform';
import { ste } from './ste';
import { approxSign } from './approxsign';
import { ede } from './ede';
import { dte } from './dte';
import { swishSign } from './swishsign';
import { noTransform } from './none';
import { xnorScale } from './xnor';
import { libraPB } from './librapb';
import { imb } from './imb';

/**
 * Every quantizer, by the name configs, URLs and files use: the single source of truth. The run
 * config's enums, the URL table, the config panel's toggles, the docs table and the tests are
 * derived from these two records, so a new estimator or weight transform is its file plus one
 * line here (and the regenerated docs table, npm run generate:docs).
 */
export const ESTIMATORS = {
  ste,
  approxsign: approxSign,
  ede,
  dte,
  swishsign: swishSign,
} as const satisfies Record<string, Estimator>;

export const WEIGHT_TRANSFORMS = {
  none: noTransform,
  xnor: xnorScale,
  librapb: libraPB,
  imb,
} as const satisfies Record<string, WeightTransform>;

export type EstimatorName = keyof typeof ESTIMATORS;
export type WeightTransformName = keyof typeof WEIGHT_TRANSFORMS;

/** The names as non-empty tuples, for zod enums. */
export const ESTIMATOR_NAMES = Object.keys(ESTIMATORS) as [EstimatorName, ...EstimatorName[]];
export const WEIGHT_TRANSFORM_NAMES = Object.keys(WEIGHT_TRANSFORMS) as [WeightTransformName, ...WeightTransformName[]];

export function getEstimator(name: string): Estimator {
  const e = (ESTIMATORS as Record<string, Estimator | undefined>)[name];
  if (!e) throw new Error(`unknown estimator '${name}' (known: ${ESTIMATOR_NAMES.join(', ')})`);
  return e;
}

export function getWeightTransform(name: string): WeightTransform {
  const t = (WEIGHT_TRANSFORMS as Record<string, WeightTransform | undefined>)[name];
  if (!t) throw new Error(`unknown weight transform '${name}' (known: ${WEIGHT_TRANSFORM_NAMES.join(', ')})`);
  return t;
}
