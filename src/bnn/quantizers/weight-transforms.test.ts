import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../test/tf';
import { WEIGHT_TRANSFORMS, getWeightTransform } from './registry';
import { quantContextFor } from '../model/model';
import { binaryWeight } from '../model/forward';

beforeAll(() => useBackend('cpu'));

/** A [1, 1, 5, 2] HWIO weight: out channel 0 gets a, out channel 1 gets b. */
const a = [0.3, -0.1, 0.5, 0.05, -0.2];
const b = [2, 4, -1, 3, 0.5];
const hwio = (): tf.Tensor4D => tf.tensor4d(a.flatMap((v, i) => [v, b[i]]), [1, 1, 5, 2]);
const column = (flat: number[], o: number): number[] => flat.filter((_, i) => i % 2 === o);

function standardised(v: number[]): number[] {
  const m = v.reduce((s, x) => s + x, 0) / v.length;
  const c = v.map((x) => x - m);
  const sd = Math.sqrt(c.reduce((s, x) => s + x * x, 0) / (v.length - 1));
  return c.map((x) => x / sd);
}
const meanAbs = (v: number[]): number => v.reduce((s, x) => s + Math.abs(x), 0) / v.length;
const sgn = (x: number): number => (x >= 0 ? 1 : -1);

describe('weight transforms', () => {
  it('none: Bw = sign(w)', () => {
    const bw = tf.tidy(() => Array.from(binaryWeight(hwio(), quant('none')).dataSync()));
    expect(column(bw, 0)).toEqual(a.map(sgn));
    expect(column(bw, 1)).toEqual(b.map(sgn));
  });

  it('XNOR-Net: Bw = sign(w) · mean|w| per out channel', () => {
    const bw = tf.tidy(() => Array.from(binaryWeight(hwio(), quant('xnor')).dataSync()));
    column(bw, 0).forEach((v, i) => expect(v).toBeCloseTo(sgn(a[i]) * meanAbs(a), 6));
    column(bw, 1).forEach((v, i) => expect(v).toBeCloseTo(sgn(b[i]) * meanAbs(b), 6));
  });

  it('Libra-PB: balanced weights have zero mean and unit (unbiased) std per out channel', () => {
    const out = tf.tidy(() => Array.from(getWeightTransform('librapb').apply(hwio()).balanced.dataSync()));
    for (const [o, src] of [[0, a], [1, b]] as const) {
      const col = column(out, o);
      const expected = standardised(src);
      col.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
      const m = col.reduce((s, x) => s + x, 0) / col.length;
      const sd = Math.sqrt(col.reduce((s, x) => s + (x - m) ** 2, 0) / (col.length - 1));
      expect(m).toBeCloseTo(0, 6);
      expect(sd).toBeCloseTo(1, 5);
    }
  });

  it('Libra-PB: scale is 2^round(log2(mean|ŵs|)), a power of two', () => {
    const w = tf.tensor4d([1, 1, 1, -3, 0.1, 0.2, -0.1, 5], [1, 1, 8, 1]);
    const raw = [1, 1, 1, -3, 0.1, 0.2, -0.1, 5];
    const expectedScale = 2 ** Math.round(Math.log2(meanAbs(standardised(raw))));
    const bw = tf.tidy(() => Array.from(binaryWeight(w as tf.Tensor4D, quant('librapb')).dataSync()));
    const st = standardised(raw);
    bw.forEach((v, i) => expect(v).toBeCloseTo(sgn(st[i]) * expectedScale, 6));
    expect(expectedScale).toBe(0.5); // this heavy-tailed channel rounds down a power of two
    w.dispose();
  });

  it('IMB: scale = mean|ŵs| (not rounded), same balanced weights as Libra-PB', () => {
    const bw = tf.tidy(() => Array.from(binaryWeight(hwio(), quant('imb')).dataSync()));
    for (const [o, src] of [[0, a], [1, b]] as const) {
      const st = standardised(src);
      column(bw, o).forEach((v, i) => expect(v).toBeCloseTo(sgn(st[i]) * meanAbs(st), 5));
    }
  });

  it('Libra-PB gradient flows through the mean/std (not a plain STE of w)', () => {
    // With a detached scale and the STE (identity inside |x| ≤ 1) the gradient of sum(Bw · c)
    // w.r.t. w is the Jacobian of the standardisation applied to c·s: it sums to 0 per channel
    // (shifting all weights of a channel by a constant changes nothing after centring).
    const g = tf.tidy(() => {
      const c = tf.tensor4d([1, -2, 0.5, 3, -1, 2, 0.3, -0.7, 1.5, 0.1], [1, 1, 5, 2]);
      return Array.from(tf.grad((w: tf.Tensor) => tf.sum(tf.mul(binaryWeight(w as tf.Tensor4D, quant('librapb')), c)))(tf.mul(hwio(), 0.2)).dataSync());
    });
    expect(column(g, 0).reduce((s, x) => s + x, 0)).toBeCloseTo(0, 5);
    expect(column(g, 1).reduce((s, x) => s + x, 0)).toBeCloseTo(0, 5);
    expect(g.some((v) => Math.abs(v) > 1e-3)).toBe(true);
  });
});

function quant(name: string) {
  return quantContextFor({ activationEstimator: 'ste', weightEstimator: 'ste' }, getWeightTransform(name));
}

describe('every registered weight transform', () => {
  for (const [key, t] of Object.entries(WEIGHT_TRANSFORMS)) {
    it(`${key}: registered under its name; balanced has w's shape; a scale per out channel exactly when it says so`, () => {
      expect(t.name).toBe(key);
      expect(t.kind).toBe('weight-transform');
      let shape: number[] = [];
      let scale: number[] | null = null;
      tf.tidy(() => {
        const r = t.apply(hwio());
        shape = r.balanced.shape;
        scale = r.scale ? Array.from(r.scale.dataSync()) : null;
      });
      expect(shape).toEqual([1, 1, 5, 2]);
      if (t.scale === 'none') expect(scale).toBeNull();
      else expect(scale).toHaveLength(2);
    });
    if (t.scale !== 'none') {
      it(`${key}: the gradient ${t.scale === 'detached' ? 'does not reach w through' : 'reaches w through'} the scale`, () => {
        // d/dw of sum(scale): zero for a detached scale, nonzero for a differentiable one
        const g = tf.tidy(() => Array.from(tf.grad((w: tf.Tensor) => tf.sum(t.apply(w).scale as tf.Tensor))(hwio()).dataSync()));
        if (t.scale === 'detached') expect(g.every((v) => v === 0)).toBe(true);
        else expect(g.some((v) => Math.abs(v) > 1e-6)).toBe(true);
      });
    }
  }
});
