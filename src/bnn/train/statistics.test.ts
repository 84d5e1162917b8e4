import { describe, expect, it } from 'vitest';
import { confidenceInterval95, mean, sampleStd, welchTest } from './statistics';

describe('mean and sample std', () => {
  it('match hand numbers', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    // deviations −1, 0, +1 → Σ = 2, / (n − 1) = 1
    expect(sampleStd([97, 98, 99])).toBe(1);
    // 2, 4, 4, 4, 5, 5, 7, 9: Σ(x − 5)² = 32, / 7
    expect(sampleStd([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(sampleStd([5])).toBeNull();
    expect(mean([])).toBeNaN();
  });
});

describe('95% confidence interval', () => {
  it('is m ± t_{0.975,2}·s/√3 for three values, with the closed-form t quantile of 2 degrees of freedom', () => {
    // Student's t with 2 dof: t_p = (2p − 1) / √(2p(1 − p)); p = 0.975 → 4.30265…
    const t = 0.95 / Math.sqrt(2 * 0.975 * 0.025);
    const [lo, hi] = confidenceInterval95([90, 92, 94])!;
    expect(lo).toBeCloseTo(92 - (t * 2) / Math.sqrt(3), 8);
    expect(hi).toBeCloseTo(92 + (t * 2) / Math.sqrt(3), 8);
  });

  it('is null for one value', () => {
    expect(confidenceInterval95([91])).toBeNull();
  });
});

describe("Welch's t-test", () => {
  it('with one sample constant has n − 1 degrees of freedom: 2 dof against the closed-form CDF', () => {
    // a: mean 92, s² = 4, n = 3 → s²/n = 4/3; b constant at 96 → t = −4/√(4/3), df = 2
    // T₂(t) = 1/2 + t / (2√(2 + t²)) → p = 1 − |t| / √(2 + t²)
    const r = welchTest([90, 92, 94], [96, 96, 96])!;
    const t = -4 / Math.sqrt(4 / 3);
    expect(r.difference).toBeCloseTo(-4, 12);
    expect(r.t).toBeCloseTo(t, 12);
    expect(r.df).toBeCloseTo(2, 12);
    expect(r.p).toBeCloseTo(1 - Math.abs(t) / Math.sqrt(2 + t * t), 8);
  });

  it('1 dof is the Cauchy distribution: p = 1 − 2·atan(|t|)/π', () => {
    // a = [1, 3]: mean 2, s² = 2, s²/n = 1; b = [5, 5] → t = −3, df = 1
    const r = welchTest([1, 3], [5, 5])!;
    expect(r.t).toBeCloseTo(-3, 12);
    expect(r.df).toBeCloseTo(1, 12);
    expect(r.p).toBeCloseTo(1 - (2 * Math.atan(3)) / Math.PI, 8);
  });

  it('uses the Welch–Satterthwaite degrees of freedom for unequal variances', () => {
    // a: s² = 4, n = 3 → 4/3; b: s² = 1, n = 3 → 1/3; df = (5/3)² / ((4/3)²/2 + (1/3)²/2) = 50/17
    const r = welchTest([90, 92, 94], [95, 96, 97])!;
    expect(r.t).toBeCloseTo(-4 / Math.sqrt(5 / 3), 12);
    expect(r.df).toBeCloseTo(50 / 17, 12);
    expect(r.p).toBeGreaterThan(0.01);
    expect(r.p).toBeLessThan(0.1);
    expect(welchTest([95, 96, 97], [90, 92, 94])!.p).toBeCloseTo(r.p, 12);
  });

  it('is undefined for a single value or two constant samples', () => {
    expect(welchTest([1], [2, 3])).toBeNull();
    expect(welchTest([2, 2], [3, 3])).toBeNull();
  });
});
