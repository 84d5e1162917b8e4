import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend, gradOf, values } from '../../test/tf';
import { binarize } from './estimator';
import { ESTIMATORS, ESTIMATOR_NAMES, getEstimator } from './registry';
import { signPlusOne } from './sign';

beforeAll(() => useBackend('cpu'));

const xs = [-3, -1.5, -1, -0.75, -0.5, -1e-7, 0, 1e-7, 0.25, 0.5, 1, 1.0001, 2];

describe('sign', () => {
  it('maps 0 to +1 and everything else to its sign', () => {
    const y = tf.tidy(() => values(signPlusOne(tf.tensor1d(xs))));
    expect(y).toEqual(xs.map((x) => (x < 0 ? -1 : 1)));
  });
});

describe('estimators: forward is sign, backward is the closed form', () => {
  const cases: [string, { t: number; k: number }, (x: number) => number][] = [
    ['ste', { t: 1, k: 1 }, (x) => (Math.abs(x) <= 1 ? 1 : 0)],
    ['approxsign', { t: 1, k: 1 }, (x) => (Math.abs(x) <= 1 ? 2 - 2 * Math.abs(x) : 0)],
    ['ede', { t: 0.1, k: 10 }, (x) => 10 * 0.1 * (1 - Math.tanh(0.1 * x) ** 2)],
    ['ede', { t: 1, k: 1 }, (x) => 1 - Math.tanh(x) ** 2],
    ['ede', { t: 10, k: 1 }, (x) => 10 * (1 - Math.tanh(10 * x) ** 2)],
  ];
  for (const [name, p, closed] of cases) {
    it(`${name} at t=${p.t}, k=${p.k}`, () => {
      const est = getEstimator(name);
      const fwd = tf.tidy(() => values(binarize(tf.tensor1d(xs), est, p)));
      expect(fwd).toEqual(xs.map((x) => (x >= 0 ? 1 : -1)));
      const g = gradOf((x) => binarize(x, est, p), xs);
      g.forEach((v, i) => expect(v).toBeCloseTo(closed(xs[i]), 5));
      xs.forEach((x) => expect(est.derivativeAt(x, p)).toBeCloseTo(closed(x), 6));
    });
  }

  it('STE keeps the gradient exactly at the clip edges ±1 and drops it just outside', () => {
    const g = gradOf((x) => binarize(x, getEstimator('ste'), { t: 1, k: 1 }), [-1, 1, -1.001, 1.001]);
    expect(g).toEqual([1, 1, 0, 0]);
  });

  it('the backward pass multiplies the incoming gradient', () => {
    const g = tf.tidy(() => {
      const x = tf.tensor1d([0.5, -0.25]);
      const dy = tf.tensor1d([3, -2]);
      return values(tf.grad((t: tf.Tensor) => tf.sum(tf.mul(binarize(t, getEstimator('approxsign'), { t: 1, k: 1 }), dy)))(x));
    });
    expect(g[0]).toBeCloseTo(3 * (2 - 1), 6);
    expect(g[1]).toBeCloseTo(-2 * (2 - 0.5), 6);
  });
});

describe('DTE: distribution-sensitive two-stage estimator', () => {
  it('measures x in units of its own detached std', () => {
    const x = [-2, -0.5, 0.1, 0.4, 1.2, 3];
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    const sigma = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length);
    for (const p of [{ t: 0.5, k: 2 }, { t: 3, k: 1 }]) {
      const g = gradOf((t) => binarize(t, getEstimator('dte'), p), x);
      g.forEach((v, i) => {
        const closed = (p.k * p.t * (1 - Math.tanh((p.t * x[i]) / sigma) ** 2)) / sigma;
        expect(v).toBeCloseTo(closed, 5);
      });
    }
  });
});

describe('every registered estimator', () => {
  const grid = [-2.5, -1, -0.6, -0.01, 0, 0.01, 0.3, 1, 1.7];
  const params = [{ t: 1, k: 1 }, { t: 0.3, k: 3.3 }, { t: 4, k: 1 }];
  for (const [key, est] of Object.entries(ESTIMATORS)) {
    it(`${key}: registered under its name; forward is sign; the tensor derivative equals derivativeAt (σ = 1 input)`, () => {
      expect(est.name).toBe(key);
      expect(est.kind).toBe('estimator');
      expect(est.label.length).toBeGreaterThan(0);
      expect(est.formula.length).toBeGreaterThan(0);
      // unit-std input, so DTE's u = x/σ equals x (derivativeAt assumes σ = 1)
      const raw = [...grid, ...grid.map((v) => -v)];
      const m = raw.reduce((a, b) => a + b, 0) / raw.length;
      const sd = Math.sqrt(raw.reduce((a, b) => a + (b - m) ** 2, 0) / raw.length);
      const x = raw.map((v) => (v - m) / sd);
      for (const p of params) {
        const fwd = tf.tidy(() => values(binarize(tf.tensor1d(x), est, p)));
        expect(fwd).toEqual(x.map((v) => (v >= 0 ? 1 : -1)));
        const g = gradOf((t) => binarize(t, est, p), x);
        g.forEach((v, i) => expect(v).toBeCloseTo(est.derivativeAt(x[i], p), 4));
      }
    });
    if ('schedule' in est) {
      it(`${key}: its schedule gives finite, positive t and k over training`, () => {
        for (const p of [0, 0.25, 0.5, 0.75, 1]) {
          const tk = est.schedule(p, { tMin: 0.1, tMax: 10, pSwitch: 0.5 });
          expect(tk.t).toBeGreaterThan(0);
          expect(tk.k).toBeGreaterThan(0);
          expect(Number.isFinite(tk.t * tk.k)).toBe(true);
        }
      });
    }
  }

  it('unknown names are rejected with the known ones listed', () => {
    expect(() => getEstimator('nope')).toThrow(/unknown estimator 'nope'.*ste/);
    expect(ESTIMATOR_NAMES).toEqual(Object.keys(ESTIMATORS));
  });
});

describe('no tensor leaks', () => {
  it('binarize forward+backward keeps numTensors flat', () => {
    const x = tf.tensor1d([0.3, -0.2]);
    const run = (): void => {
      tf.tidy(() => {
        tf.grad((t: tf.Tensor) => tf.sum(binarize(t, getEstimator('ede'), { t: 2, k: 1 })))(x);
      });
    };
    run();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) run();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
