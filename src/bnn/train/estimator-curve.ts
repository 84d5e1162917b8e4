import { ESTIMATORS, type EstimatorName } from '../quantizers/registry';
import { signScalar } from '../quantizers/sign';

/** The forward sign and an estimator's backward derivative sampled over x ∈ [lo, hi]. */
export interface EstimatorCurve {
  estimator: EstimatorName;
  t: number;
  k: number;
  x: number[];
  /** sign(x), with sign(0) = +1. */
  forward: number[];
  /** The surrogate d sign/dx the backward pass uses (DTE: over standardised inputs, σ = 1). */
  backward: number[];
}

export const CURVE_RANGE: readonly [number, number] = [-3, 3];

/**
 * The estimator curve the charts draw at the schedule's current t, k (docs/ARCHITECTURE.md, "Metrics"): `points` evenly
 * spaced x from −3 to 3 inclusive (121 points = steps of 0.05, so 0 and ±1 are sampled exactly).
 */
export function estimatorCurve(name: EstimatorName, t: number, k: number, points = 121): EstimatorCurve {
  if (!Number.isInteger(points) || points < 2) throw new RangeError(`points must be an integer ≥ 2, got ${points}`);
  const est = ESTIMATORS[name];
  if (!est) throw new RangeError(`unknown estimator '${String(name)}'`);
  const [lo, hi] = CURVE_RANGE;
  const x = Array.from({ length: points }, (_, i) => lo + ((hi - lo) * i) / (points - 1));
  return {
    estimator: name,
    t,
    k,
    x,
    forward: x.map(signScalar),
    backward: x.map((v) => est.derivativeAt(v, { t, k })),
  };
}
