import jStat from 'jstat';

/**
 * The statistics the ablation tables state: mean, sample std, a 95% confidence interval of the
 * mean and Welch's unequal-variance t-test. Student's t distribution comes from jStat.
 */

export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Sample standard deviation (n − 1); null for fewer than two values. */
export function sampleStd(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const m = mean(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) * (v - m), 0) / (values.length - 1));
}

/**
 * 95% confidence interval of the mean: m ± t_{0.975, n−1} · s / √n (Student's t, n − 1 degrees of
 * freedom); null for fewer than two values.
 */
export function confidenceInterval95(values: readonly number[]): [number, number] | null {
  const s = sampleStd(values);
  if (s === null) return null;
  const m = mean(values);
  const half = (jStat.studentt.inv(0.975, values.length - 1) * s) / Math.sqrt(values.length);
  return [m - half, m + half];
}

export interface WelchResult {
  /** mean(a) − mean(b). */
  difference: number;
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided p-value. */
  p: number;
}

/**
 * Welch's t-test of mean(a) = mean(b), two-sided:
 *   t  = (m_a − m_b) / √(s_a²/n_a + s_b²/n_b)
 *   df = (s_a²/n_a + s_b²/n_b)² / ((s_a²/n_a)²/(n_a − 1) + (s_b²/n_b)²/(n_b − 1))
 *   p  = 2 · (1 − T_df(|t|))
 * null when either sample has fewer than two values or both have zero variance (the test is
 * undefined; equal means then differ by exactly 0).
 */
export function welchTest(a: readonly number[], b: readonly number[]): WelchResult | null {
  const sa = sampleStd(a);
  const sb = sampleStd(b);
  if (sa === null || sb === null) return null;
  const va = (sa * sa) / a.length;
  const vb = (sb * sb) / b.length;
  if (va + vb === 0) return null;
  const difference = mean(a) - mean(b);
  const t = difference / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  const p = Math.min(1, 2 * (1 - jStat.studentt.cdf(Math.abs(t), df)));
  return { difference, t, df, p };
}
