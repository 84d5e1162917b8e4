import type { RunConfig } from '../config';
import { UNIT_TK } from '../quantizers/estimator';
import { clamp01 } from '../quantizers/log-interp';
import { getEstimator } from '../quantizers/registry';

/**
 * Schedules driven by training progress p = step / totalSteps ∈ [0, 1]: the learning rate here,
 * EDE's and DTE's t, k in their quantizer files. The IR-Net paper steps EDE's t once per epoch; we
 * default to the continuous per-step form and offer the per-epoch one (p = floor(epoch) / epochs)
 * as an option — see `progressFor`.
 */

export interface TK {
  t: number;
  k: number;
}

/** t, k of the activations' and of the weights' estimator (each follows its own schedule, if any). */
export interface QuantTk {
  activation: TK;
  weight: TK;
}

/** Cosine learning rate to 0: lr(p) = lr0 · (1 + cos(π p)) / 2. */
export function cosineLr(lr0: number, p: number): number {
  return (lr0 * (1 + Math.cos(Math.PI * clamp01(p)))) / 2;
}

/**
 * Linear warm-up over the first `warmup` steps, then cosine decay to 0 over the rest:
 *   lr(s) = lr0 · (s + 1) / warmup                              for s < warmup
 *   lr(s) = lr0 · (1 + cos(π (s − warmup) / (steps − warmup))) / 2  otherwise
 * (warmup = 0 is the plain cosine schedule of step / steps).
 */
export function warmupCosineLr(lr0: number, step: number, steps: number, warmup: number): number {
  if (warmup > 0 && step < warmup) return (lr0 * (step + 1)) / warmup;
  const rest = steps - warmup;
  return cosineLr(lr0, rest > 0 ? (step - warmup) / rest : 1);
}

/** Progress for the t/k schedules: continuous per step, or stepped once per epoch. */
export function progressFor(step: number, totalSteps: number, stepsPerEpoch: number, perEpoch: boolean): number {
  if (totalSteps <= 0) return 0;
  if (!perEpoch) return clamp01(step / totalSteps);
  const epochs = Math.max(1, Math.ceil(totalSteps / stepsPerEpoch));
  return clamp01(Math.floor(step / stepsPerEpoch) / epochs);
}

/** Each estimator's t, k at training progress p (its own schedule, or 1, 1 without one). */
export function quantTkAt(cfg: RunConfig, p: number): QuantTk {
  const at = (name: RunConfig['activationEstimator']): TK => getEstimator(name).schedule?.(p, cfg) ?? UNIT_TK;
  return { activation: at(cfg.activationEstimator), weight: at(cfg.weightEstimator) };
}

/** The t, k a step reports: the activations' schedule, else the weights', else 1, 1. */
export function shownTk(cfg: RunConfig, tk: QuantTk): TK {
  return getEstimator(cfg.activationEstimator).schedule || !getEstimator(cfg.weightEstimator).schedule ? tk.activation : tk.weight;
}
