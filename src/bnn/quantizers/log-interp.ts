import type { TechniqueSetting } from '../papers';

/** 10^(log10 a + (log10 b − log10 a) · p): the geometric interpolation EDE's and DTE's t follow. */
export function logInterp(a: number, b: number, p: number): number {
  return 10 ** (Math.log10(a) + (Math.log10(b) - Math.log10(a)) * p);
}

/** The settings of a t/k schedule (EDE, DTE). */
export const T_SCHEDULE_SETTINGS = [
  { key: 'tMin', label: 'Tmin', kind: 'number', min: 0, max: 1, testId: 'tmin' },
  { key: 'tMax', label: 'Tmax', kind: 'number', min: 1, testId: 'tmax' },
  { key: 'tkPerEpoch', label: 'Step t once per epoch', kind: 'toggle', explain: "The paper's schedule; off updates t continuously every step.", testId: 'tk-per-epoch' },
] as const satisfies readonly TechniqueSetting[];

export function clamp01(p: number): number {
  return Math.min(1, Math.max(0, p));
}
