import type { Estimator, EstimatorName } from './estimator';
import type { WeightTransform, WeightTransformName } from './weight-transform';
import { ste } from './ste';
import { approxSign } from './approxsign';
import { ede } from './ede';
import { dte } from './dte';
import { noTransform } from './none';
import { xnorScale } from './xnor-scale';
import { libraPB } from './librapb';
import { imb } from './imb';

/** Quantizers looked up by name, so configs, the UI and exports refer to them as strings. */
export const ESTIMATORS: Readonly<Record<EstimatorName, Estimator>> = {
  ste,
  approxsign: approxSign,
  ede,
  dte,
};

export const WEIGHT_TRANSFORMS: Readonly<Record<WeightTransformName, WeightTransform>> = {
  none: noTransform,
  xnor: xnorScale,
  librapb: libraPB,
  imb,
};

export function getEstimator(name: string): Estimator {
  const e = (ESTIMATORS as Record<string, Estimator | undefined>)[name];
  if (!e) throw new Error(`unknown estimator '${name}' (known: ${Object.keys(ESTIMATORS).join(', ')})`);
  return e;
}

export function getWeightTransform(name: string): WeightTransform {
  const t = (WEIGHT_TRANSFORMS as Record<string, WeightTransform | undefined>)[name];
  if (!t) {
    throw new Error(`unknown weight transform '${name}' (known: ${Object.keys(WEIGHT_TRANSFORMS).join(', ')})`);
  }
  return t;
}
