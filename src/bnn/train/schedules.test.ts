import { describe, expect, it } from 'vitest';
import { cosineLr, progressFor } from './schedules';
import { edeSchedule } from '../quantizers/ede';
import { dteSchedule } from '../quantizers/dte';

describe('EDE schedule (Tmin 0.1, Tmax 10)', () => {
  it.each([
    [0, 0.1, 10],
    [0.5, 1, 1],
    [1, 10, 1],
    [0.25, Math.sqrt(0.1), 1 / Math.sqrt(0.1)],
  ])('p = %f → t = %f, k = %f', (p, t, k) => {
    const r = edeSchedule(p, 0.1, 10);
    expect(r.t).toBeCloseTo(t, 10);
    expect(r.k).toBeCloseTo(k, 10);
  });

  it('uses the official code Tmin 1e-3 too: t = 10^(-3 + 4p)', () => {
    expect(edeSchedule(0.5, 1e-3, 10).t).toBeCloseTo(10 ** (-3 + 4 * 0.5), 10);
  });
});

describe('DTE schedule', () => {
  it('stage 1 keeps k·t = 1 while t rises to 1; stage 2 keeps k = 1 while t rises to Tmax', () => {
    expect(dteSchedule(0, 0.1, 10, 0.5).t).toBeCloseTo(0.1, 10);
    const s1 = dteSchedule(0.25, 0.1, 10, 0.5);
    expect(s1.t).toBeCloseTo(Math.sqrt(0.1), 10);
    expect(s1.k * s1.t).toBeCloseTo(1, 10);
    const s2 = dteSchedule(0.75, 0.1, 10, 0.5);
    expect(s2.t).toBeCloseTo(Math.sqrt(10), 10);
    expect(s2.k).toBe(1);
    expect(dteSchedule(1, 0.1, 10, 0.5).t).toBeCloseTo(10, 10);
  });
});

describe('cosine lr and progress', () => {
  it('decays from lr0 to 0 along a half cosine', () => {
    expect(cosineLr(0.1, 0)).toBeCloseTo(0.1, 12);
    expect(cosineLr(0.1, 0.5)).toBeCloseTo(0.05, 12);
    expect(cosineLr(0.1, 1)).toBeCloseTo(0, 12);
    expect(cosineLr(0.1, 1 / 3)).toBeCloseTo(0.1 * (1 + Math.cos(Math.PI / 3)) / 2, 12);
  });

  it('steps per epoch when asked, continuously otherwise', () => {
    expect(progressFor(150, 1000, 100, false)).toBeCloseTo(0.15, 12);
    expect(progressFor(150, 1000, 100, true)).toBeCloseTo(0.1, 12);
    expect(progressFor(999, 1000, 100, true)).toBeCloseTo(0.9, 12);
  });
});
