import * as tf from '@tensorflow/tfjs-core';
import { customGrad } from '../custom-grad';
import { signPlusOne } from './sign';
import type { TechniqueInfo } from '../papers';

/** The schedule-driven parameters an estimator may read (EDE/DTE); others ignore them. */
export interface EstimatorParams {
  t: number;
  k: number;
}

/** The run's settings a scheduled estimator reads (RunConfig's tMin, tMax, pSwitch). */
export interface ScheduleSettings {
  tMin: number;
  tMax: number;
  pSwitch: number;
}

/** t = k = 1: what an unscheduled estimator sees, and all inference needs (the forward pass is sign). */
export const UNIT_TK: EstimatorParams = { t: 1, k: 1 };

/**
 * A backward estimator: the forward pass is always sign(x) (sign(0) = +1); the estimator
 * supplies the surrogate derivative d sign / dx that the backward pass multiplies into dy. A
 * run chooses one for the weights' sign and one for the activations' sign.
 */
export interface Estimator extends TechniqueInfo {
  readonly kind: 'estimator';
  /** Surrogate derivative at x, elementwise (tensor form, used in training). */
  derivative(x: tf.Tensor, p: EstimatorParams): tf.Tensor;
  /** The same derivative at a scalar x (charts, tests of the tensor form). */
  derivativeAt(x: number, p: EstimatorParams): number;
  /** t, k at training progress p ∈ [0, 1], for estimators that follow a schedule (EDE, DTE). */
  schedule?(p: number, s: ScheduleSettings): EstimatorParams;
  /**
   * The weights' estimator the paper's official code pairs with this one on the activations,
   * when it is another (Bi-Real and IR2Net: ApproxSign activations, clipped-STE weights).
   */
  readonly officialWeightEstimator?: string;
}


/**
 * Binarise x with sign in the forward pass and the estimator's derivative in the backward pass:
 *   forward  y = sign(x)
 *   backward dL/dx = dL/dy · est'(x)
 */
export function binarize(x: tf.Tensor, est: Estimator, p: EstimatorParams): tf.Tensor {
  const f = customGrad(([input]: [tf.Tensor], save) => {
    save([input]);
    return {
      value: signPlusOne(input),
      gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) => tf.mul(dy, est.derivative(saved, p)),
    };
  });
  return f(x);
}
