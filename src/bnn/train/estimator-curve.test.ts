import { describe, expect, it } from 'vitest';
import { ESTIMATOR_NAMES } from '../quantizers/registry';
import { estimatorCurve } from './estimator-curve';

const sech2 = (v: number): number => 1 / Math.cosh(v) ** 2;
/** Trapezoid rule over the sampled curve. */
const area = (x: number[], y: number[]): number =>
  x.slice(1).reduce((s, xi, i) => s + ((xi - x[i]) * (y[i] + y[i + 1])) / 2, 0);

describe('estimatorCurve', () => {
  it('samples 121 evenly spaced points over [−3, 3], hitting −1, 0 and 1 exactly', () => {
    const c = estimatorCurve('ste', 1, 1);
    expect(c.x).toHaveLength(121);
    expect(c.x[0]).toBe(-3);
    expect(c.x[120]).toBe(3);
    expect([c.x[40], c.x[60], c.x[80]]).toEqual([-1, 0, 1]);
    c.x.forEach((v, i) => expect(v).toBeCloseTo(-3 + 0.05 * i, 12));
    expect(estimatorCurve('ste', 1, 1, 7).x).toEqual([-3, -2, -1, 0, 1, 2, 3]);
  });

  it('forward is sign with sign(0) = +1, the same for every estimator', () => {
    for (const name of ESTIMATOR_NAMES) {
      const c = estimatorCurve(name, 2, 1);
      c.x.forEach((v, i) => expect(c.forward[i]).toBe(v < 0 ? -1 : 1));
    }
  });

  it('STE: 1[|x| ≤ 1], i.e. 41 ones from −1 to 1', () => {
    const c = estimatorCurve('ste', 5, 0.2);
    c.x.forEach((v, i) => expect(c.backward[i]).toBe(Math.abs(v) <= 1 ? 1 : 0));
    expect(c.backward.filter((b) => b === 1)).toHaveLength(41);
  });

  it('ApproxSign: a triangle of height 2 and area 2', () => {
    const c = estimatorCurve('approxsign', 1, 1);
    expect(c.backward[60]).toBe(2);
    expect(c.backward[70]).toBeCloseTo(1, 12); // x = 0.5
    expect(c.backward[40]).toBe(0);
    expect(area(c.x, c.backward)).toBeCloseTo(2, 12);
  });

  it('EDE and DTE (σ = 1): k · t · sech²(t·x), peak k·t, area 2k·tanh(3t)', () => {
    for (const name of ['ede', 'dte'] as const) {
      for (const [t, k] of [
        [0.1, 10],
        [1, 1],
        [10, 1],
      ]) {
        const c = estimatorCurve(name, t, k);
        expect([c.t, c.k, c.estimator]).toEqual([t, k, name]);
        c.x.forEach((v, i) => expect(c.backward[i]).toBeCloseTo(k * t * sech2(t * v), 10));
        expect(c.backward[60]).toBeCloseTo(k * t, 12);
      }
      const fine = estimatorCurve(name, 1, 1, 6001);
      expect(area(fine.x, fine.backward)).toBeCloseTo(2 * Math.tanh(3), 6);
    }
  });

  it('rejects fewer than 2 points', () => {
    expect(() => estimatorCurve('ste', 1, 1, 1)).toThrow(RangeError);
    expect(() => estimatorCurve('ste', 1, 1, 2.5)).toThrow(RangeError);
  });
});
