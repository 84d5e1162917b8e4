import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend, gradOf, values } from '../../test/tf';
import { binarize } from './estimator';
import { SWISH_BETA, swishSign } from './swishsign';

beforeAll(() => useBackend('cpu'));

/** SS_β(x) = 2σ(βx)(1 + βx(1 − σ(βx))) − 1, written out here from the paper. */
function swishSignCurve(x: number, beta = SWISH_BETA): number {
  const s = 1 / (1 + Math.exp(-beta * x));
  return 2 * s * (1 + beta * x * (1 - s)) - 1;
}

describe('SwishSign', () => {
  const xs = [-2, -0.8, -0.3, -0.05, 0, 0.05, 0.3, 0.8, 2];

  it('forward is sign; backward is the slope of SS_β, checked by central differences of the curve itself', () => {
    expect(tf.tidy(() => values(binarize(tf.tensor1d(xs), swishSign, { t: 1, k: 1 })))).toEqual(xs.map((x) => (x >= 0 ? 1 : -1)));
    const g = gradOf((x) => binarize(x, swishSign, { t: 1, k: 1 }), xs);
    const h = 1e-5;
    xs.forEach((x, i) => {
      const slope = (swishSignCurve(x + h) - swishSignCurve(x - h)) / (2 * h);
      expect(g[i]).toBeCloseTo(slope, 4);
      expect(swishSign.derivativeAt(x)).toBeCloseTo(slope, 6);
    });
  });

  it('peaks at β at 0 and has small negative tails', () => {
    expect(swishSign.derivativeAt(0)).toBeCloseTo(SWISH_BETA, 12);
    expect(swishSign.derivativeAt(0.7)).toBeLessThan(0);
    expect(swishSign.derivativeAt(0.7)).toBeGreaterThan(-0.5);
  });
});
