import { inputShapeOf, needsTeacher, type RunConfig } from '../bnn/config';
import type { StepMetrics } from '../bnn/train/trainer';

/**
 * Measured step times on this device, per config shape, for the duration shown before a run
 * starts: from a short measurement (the worker's measure-step) or from a run that trained here.
 * Kept in localStorage; nothing is estimated across shapes, so every figure shown was measured.
 */
export interface StepTime {
  msPerStep: number;
  /** Where it comes from: "a 3-step measurement" or a run's name. */
  from: string;
  at: number;
}

export type StepTimes = Readonly<Record<string, StepTime>>;

const KEY = 'bnn-playground-step-times';

/**
 * What a step's time depends on: the backend, input shape, depth, width, batch, precision and
 * the techniques that add work (restriction's second pass, recovery, RSign/RPReLU, a teacher's
 * forward pass). The weight transform and the estimators cost next to nothing and do not count.
 */
export function shapeKey(c: RunConfig): string {
  const [h, w, ch] = inputShapeOf(c.dataset);
  const extra = [c.restriction && 'restrict', c.recovery !== 'off' && `recovery-${c.recovery}`, c.rsign && 'rsign', c.blockActivation, needsTeacher(c) && 'teacher'];
  return [c.backend, `${h}x${w}x${ch}`, `R${c.depth}`, `w${c.width}`, `b${c.batchSize}`, c.precision, ...extra.filter(Boolean)].join('|');
}

/** The median step time of a run's steps after the first three (kernel compilation), or null with fewer than five. */
export function typicalStepMs(steps: readonly StepMetrics[]): number | null {
  if (steps.length < 5) return null;
  const ms = steps.slice(3).map((s) => s.ms).filter((v) => Number.isFinite(v) && v > 0).sort((a, b) => a - b);
  return ms.length ? ms[Math.floor(ms.length / 2)] : null;
}

export interface DurationEstimate {
  seconds: number;
  msPerStep: number;
  from: string;
}

/** steps × the step time measured for this shape; null when it was never measured here. */
export function estimateDuration(c: RunConfig, times: StepTimes): DurationEstimate | null {
  const t = times[shapeKey(c)];
  return t ? { seconds: (c.steps * t.msPerStep) / 1000, msPerStep: t.msPerStep, from: t.from } : null;
}

export function loadStepTimes(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): StepTimes {
  try {
    const raw = storage?.getItem(KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (typeof parsed !== 'object' || parsed === null) return {};
    const out: Record<string, StepTime> = {};
    for (const [k, v] of Object.entries(parsed as Record<string, Partial<StepTime>>)) {
      if (typeof v?.msPerStep === 'number' && v.msPerStep > 0 && typeof v.from === 'string') out[k] = { msPerStep: v.msPerStep, from: v.from, at: Number(v.at) || 0 };
    }
    return out;
  } catch {
    return {};
  }
}

export function saveStepTimes(times: StepTimes, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(KEY, JSON.stringify(times));
  } catch {
    // A full or blocked localStorage only costs the estimate on the next visit.
  }
}
