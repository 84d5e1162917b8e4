/**
 * Schedules driven by training progress p = step / totalSteps ∈ [0, 1].
 * The IR-Net paper steps EDE's t once per epoch; we default to the continuous per-step form and
 * offer the per-epoch one (p = floor(epoch) / epochs) as an option — see `progressFor`.
 */

export interface TK {
  t: number;
  k: number;
}

/** Cosine learning rate to 0: lr(p) = lr0 · (1 + cos(π p)) / 2. */
export function cosineLr(lr0: number, p: number): number {
  return (lr0 * (1 + Math.cos(Math.PI * clamp01(p)))) / 2;
}

/**
 * EDE (IR-Net):
 *   t = 10^(log10 Tmin + (log10 Tmax − log10 Tmin) · p),  k = max(1/t, 1)
 */
export function edeSchedule(p: number, tMin: number, tMax: number): TK {
  const t = logInterp(tMin, tMax, clamp01(p));
  return { t, k: Math.max(1 / t, 1) };
}

/**
 * DTE (DIR-Net, our reading): two stages split at p_switch.
 *   stage 1 (p < p_switch): t = logInterp(Tmin, 1, p / p_switch),              k = 1/t  (k·t = 1)
 *   stage 2 (p ≥ p_switch): t = logInterp(1, Tmax, (p − p_switch)/(1 − p_switch)), k = 1
 */
export function dteSchedule(p: number, tMin: number, tMax: number, pSwitch: number): TK {
  const q = clamp01(p);
  if (q < pSwitch) {
    const t = logInterp(tMin, 1, q / pSwitch);
    return { t, k: 1 / t };
  }
  const t = logInterp(1, tMax, pSwitch >= 1 ? 1 : (q - pSwitch) / (1 - pSwitch));
  return { t, k: 1 };
}

/** Progress for the t/k schedules: continuous per step, or stepped once per epoch. */
export function progressFor(step: number, totalSteps: number, stepsPerEpoch: number, perEpoch: boolean): number {
  if (totalSteps <= 0) return 0;
  if (!perEpoch) return clamp01(step / totalSteps);
  const epochs = Math.max(1, Math.ceil(totalSteps / stepsPerEpoch));
  return clamp01(Math.floor(step / stepsPerEpoch) / epochs);
}

function logInterp(a: number, b: number, p: number): number {
  return 10 ** (Math.log10(a) + (Math.log10(b) - Math.log10(a)) * p);
}

function clamp01(p: number): number {
  return Math.min(1, Math.max(0, p));
}
