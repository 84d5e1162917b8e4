/**
 * Y-axis ranges and tick labels that show a series' variation: the domain hugs the data (an
 * entropy of 0.9990–1.0000 is not drawn flat at the top of 0–1), ticks fall on 1, 2 or 5 ×
 * 10^k and every label has as many digits as its step needs, so no two ticks read the same
 * (1.5e-3 is not rounded to 2e-3). Pure: no React.
 */

/** A tick step of 1, 2 or 5 × 10^k giving about `count` intervals over `span`. */
export function niceStep(span: number, count = 5): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / Math.max(1, count);
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  const e = 1e-9;
  return (m <= 1 + e ? 1 : m <= 2 + e ? 2 : m <= 5 + e ? 5 : 10) * p;
}

export interface Axis {
  domain: [number, number];
  ticks: number[];
  step: number;
}

export interface AxisBounds {
  /** Values the quantity cannot go below or above (0 and 1 for a share, 0 and 100 for a percentage). */
  min?: number;
  max?: number;
}

/**
 * The axis of the finite values: their range padded by 5% (a constant series gets a small band
 * around it), widened to whole tick steps, kept within the bounds. Null without finite values.
 */
export function valueAxis(values: Iterable<number | null | undefined>, bounds: AxisBounds = {}, count = 5): Axis | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo > hi) return null;
  const span = hi - lo;
  // A range lost in floating-point noise (or below anything these charts measure) counts as a constant.
  const varies = span > 1e-9 * Math.max(1e-4, Math.abs(lo), Math.abs(hi));
  const band = varies ? 0.05 * span : Math.max(Math.abs(hi) * 0.01, 1e-6);
  lo -= band;
  hi += band;
  if (bounds.min !== undefined) lo = Math.max(lo, bounds.min);
  if (bounds.max !== undefined) hi = Math.min(hi, bounds.max);
  const step = niceStep(hi - lo, count);
  let from = Math.floor(lo / step + 1e-9) * step;
  let to = Math.ceil(hi / step - 1e-9) * step;
  if (bounds.min !== undefined) from = Math.max(from, bounds.min);
  if (bounds.max !== undefined) to = Math.min(to, bounds.max);
  const ticks: number[] = [];
  for (let k = Math.ceil(from / step - 1e-9); k * step <= to + step * 1e-9; k++) ticks.push(clean(k * step, step));
  return { domain: [clean(from, step), clean(to, step)], ticks, step };
}

/**
 * An x-axis over exactly the data's range (no padding: the first and last point sit on the
 * frame) with ticks on whole steps of 1, 2 or 5 × 10^k inside it. Null without finite values.
 */
export function rangeAxis(values: Iterable<number | null | undefined>, count = 5): Axis | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo > hi) return null;
  if (lo === hi) return { domain: [lo, hi], ticks: [lo], step: niceStep(Math.abs(lo) || 1, count) };
  const step = niceStep(hi - lo, count);
  const ticks: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) ticks.push(clean(k * step, step));
  return { domain: [lo, hi], ticks, step };
}

/** Powers of ten covering positive values, for a log axis; null without positive values. */
export function logAxis(values: Iterable<number | null | undefined>): Axis | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo > hi) return null;
  const a = Math.floor(Math.log10(lo) + 1e-9);
  const b = Math.max(a + 1, Math.ceil(Math.log10(hi) - 1e-9));
  const ticks = Array.from({ length: b - a + 1 }, (_, i) => 10 ** (a + i));
  return { domain: [ticks[0], ticks.at(-1)!], ticks, step: 0 };
}

/** A tick label with the digits its step needs: "0.9992", "1.5e-3", "250", "12k". A step of 0 means a log axis. */
export function formatTick(v: number, step: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (step === 0) return a >= 1e-2 && a < 1e4 ? String(+v.toPrecision(3)) : v.toExponential(0).replace('e+', 'e');
  const big = Math.max(a, Math.abs(step));
  if (big < 1e-2 || big >= 1e6) {
    const e = Math.floor(Math.log10(a));
    const digits = Math.max(0, e - Math.floor(Math.log10(step) + 1e-9));
    return v.toExponential(Math.min(digits, 6)).replace('e+', 'e');
  }
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return v.toFixed(Math.min(decimals, 10));
}

/** A tick at k·step without floating-point dust (0.30000000000000004 → 0.3). */
function clean(v: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  return Number(v.toFixed(Math.min(decimals, 15)));
}
