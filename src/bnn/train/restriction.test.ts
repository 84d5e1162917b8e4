import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../test/tf';
import { DEFAULT_CONFIG, type RunConfig } from '../config';
import { BnnModel } from '../model/model';
import { forward } from '../model/forward';
import { trainingObjective } from './objective';
import { attentionMasks, restrictionMask, restrictionTerm } from './restriction';

beforeAll(() => useBackend('wasm'));

/** Align-corners bilinear resize of one h×w plane to H×W, written out for the test. */
function resizeRef(a: number[], h: number, w: number, H: number, W: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < H; i++) {
    const sy = H > 1 ? (i * (h - 1)) / (H - 1) : 0;
    const y0 = Math.floor(sy);
    const y1 = Math.min(y0 + 1, h - 1);
    const fy = sy - y0;
    for (let j = 0; j < W; j++) {
      const sx = W > 1 ? (j * (w - 1)) / (W - 1) : 0;
      const x0 = Math.floor(sx);
      const x1 = Math.min(x0 + 1, w - 1);
      const fx = sx - x0;
      const top = a[y0 * w + x0] * (1 - fx) + a[y0 * w + x1] * fx;
      const bottom = a[y1 * w + x0] * (1 - fx) + a[y1 * w + x1] * fx;
      out.push(top * (1 - fy) + bottom * fy);
    }
  }
  return out;
}

/** A = mean_c F² of image n of an NHWC array, then the resize and the λ·mean threshold. */
function maskRef(f: Float32Array | number[], n: number, h: number, w: number, c: number, H: number, W: number, lambda: number) {
  const a: number[] = [];
  for (let p = 0; p < h * w; p++) {
    let s = 0;
    for (let k = 0; k < c; k++) s += f[(n * h * w + p) * c + k] ** 2;
    a.push(s / c);
  }
  const r = resizeRef(a, h, w, H, W);
  const threshold = (lambda * r.reduce((x, y) => x + y, 0)) / r.length;
  return { mask: r.map((v): number => (v > threshold ? 1 : 0)), resized: r, threshold };
}

/** Mean CE from logits computed in plain JS: logsumexp(z) − z[y]. */
function ceRef(logits: Float32Array, labels: number[], classes: number): number {
  let total = 0;
  labels.forEach((y, i) => {
    const z = Array.from(logits.subarray(i * classes, (i + 1) * classes));
    const m = Math.max(...z);
    total += m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0)) - z[y];
  });
  return total / labels.length;
}

describe('restriction mask on planted feature maps', () => {
  it('3×3 → 5×5: the hand-computed align-corners resize and λ·mean threshold', () => {
    // Image 0: zero map, centre pixel F = [3, 1] → A = (9 + 1)/2 = 5 at the centre, 0 elsewhere.
    // Image 1: F = [1, 1] everywhere, centre [3, 1] → A = 1 + 4 at the centre.
    // Align corners 3 → 5 samples source coordinates 0, ½, 1, 1½, 2, so the centre's weight along
    // each axis is t = [0, ½, 1, ½, 0] and Â = background + bump·tᵢ·tⱼ:
    //   image 0: Â = 5·t⊗t, mean = 5·(Σt)²/25 = 5·4/25 = 0.8;   λ = 1.3 → threshold 1.04 ↔ t⊗t > 0.208
    //            keeps the 3×3 inner block (t⊗t ∈ {1, ½, ¼}): 9 pixels.
    //   image 1: Â = 1 + 4·t⊗t, mean = 1 + 4·0.16 = 1.64; threshold 2.132 ↔ t⊗t > 0.283
    //            keeps the centre and its 4 edge neighbours (t⊗t ∈ {1, ½}): 5 pixels.
    const f = new Float32Array(2 * 9 * 2);
    for (let p = 0; p < 9; p++) f.set([1, 1], (9 + p) * 2);
    f.set([3, 1], 4 * 2);
    f.set([3, 1], (9 + 4) * 2);
    const t = [0, 0.5, 1, 0.5, 0];
    const inner = (i: number, j: number, cut: number): number => (t[i] * t[j] > cut ? 1 : 0);
    const want0: number[] = [];
    const want1: number[] = [];
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) {
      want0.push(inner(i, j, 0.208));
      want1.push(inner(i, j, 0.283));
    }
    expect(want0.reduce((a, b) => a + b)).toBe(9);
    expect(want1.reduce((a, b) => a + b)).toBe(5);

    const before = tf.memory().numTensors;
    const got = tf.tidy(() => Array.from(restrictionMask(tf.tensor4d(f, [2, 3, 3, 2]), 5, 5, 1.3).dataSync()));
    expect(got).toEqual([...want0, ...want1]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('8×8 → 32×32 with one hot region keeps exactly the pixels above λ·mean (reference resize)', () => {
    const [h, w, c] = [8, 8, 4];
    const f = new Float32Array(h * w * c);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) {
      const hot = y >= 2 && y <= 3 && x >= 5 && x <= 6;
      f[(y * w + x) * c + k] = hot ? 2 + 0.25 * k : 0.1 * ((y * 7 + x * 3 + k) % 5);
    }
    for (const lambda of [0.15, 1, 2.5]) {
      const ref = maskRef(f, 0, h, w, c, 32, 32, lambda);
      // No reference value sits on the threshold, so float rounding cannot flip a pixel.
      for (const v of ref.resized) expect(Math.abs(v - ref.threshold)).toBeGreaterThan(1e-4 * ref.threshold);
      const got = tf.tidy(() => Array.from(restrictionMask(tf.tensor4d(f, [1, h, w, c]), 32, 32, lambda).dataSync()));
      expect(got).toEqual(ref.mask);
      const kept = ref.mask.reduce((a, b) => a + b, 0);
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThan(32 * 32);
    }
  });

  it('no gradient flows through the mask into its source', () => {
    const grads = tf.tidy(() => {
      const f = tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
      const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 6);
      const g = tf.grad((src: tf.Tensor) => tf.sum(tf.mul(x, restrictionMask(src as tf.Tensor4D, 8, 8, 0.5))))(f);
      return Array.from(g.dataSync());
    });
    expect(grads.length).toBe(2 * 4 * 4 * 3);
    expect(grads.every((v) => v === 0)).toBe(true);
  });
});

const cfg: RunConfig = {
  ...DEFAULT_CONFIG,
  dataset: 'shapes',
  depth: 8,
  width: 8,
  weightTransform: 'none',
  activationEstimator: 'approxsign', weightEstimator: 'approxsign',
  restriction: true,
  seed: 11,
};

describe('restriction term on a ResNet-8 (wasm)', () => {
  const lambda = 0.6;
  const batch = 4;
  const labels = [0, 3, 7, 9];

  function batchInput(): tf.Tensor4D {
    return tf.randomNormal([batch, 32, 32, 3], 0, 1, 'float32', 21) as tf.Tensor4D;
  }

  it('CE is the mean of the plain and the masked pass; masked pixels are 0; gradients see a constant mask', () => {
    const model = BnnModel.create(cfg, 10);
    const quant = model.quant();
    const before = tf.memory().numTensors;
    const x = batchInput();
    const y = tf.tensor1d(labels, 'int32');

    // Reference, computed separately: the first pass, the mask from its last stage, the second pass.
    const fData = tf.tidy(() => forward(model.arch, model.params, x, { training: true, quant, keep: [model.arch.lastStage] }).outputs[model.arch.lastStage].dataSync() as Float32Array);
    const [, fh, fw, fc] = [batch, 8, 8, 32];
    const maskPlanes = labels.map((_, n) => maskRef(fData, n, fh, fw, fc, 32, 32, lambda).mask);
    const maskArr = new Float32Array(batch * 32 * 32);
    maskPlanes.forEach((m, n) => maskArr.set(m, n * 1024));
    const keptShare = maskArr.reduce((a, b) => a + b, 0) / maskArr.length;
    expect(keptShare).toBeGreaterThan(0);
    expect(keptShare).toBeLessThan(1);
    const logits1 = tf.tidy(() => forward(model.arch, model.params, x, { training: true, quant }).logits.dataSync() as Float32Array);
    const logits2 = tf.tidy(() => {
      const masked = tf.mul(x, tf.tensor4d(maskArr, [batch, 32, 32, 1])) as tf.Tensor4D;
      return forward(model.arch, model.params, masked, { training: true, quant }).logits.dataSync() as Float32Array;
    });
    const ce1 = ceRef(logits1, labels, 10);
    const ce2 = ceRef(logits2, labels, 10);
    expect(Math.abs(ce1 - ce2)).toBeGreaterThan(1e-4);

    const [ce, total] = tf.tidy(() => {
      const obj = trainingObjective(model, quant, x, y, [restrictionTerm(lambda)]);
      return [obj.ce.dataSync()[0], obj.total.dataSync()[0]];
    });
    expect(ce).toBeCloseTo((ce1 + ce2) / 2, 4);
    expect(total).toBeCloseTo((ce1 + ce2) / 2, 4);

    // Gradients of the term equal those of (CE₁ + CE₂(x · constant mask)) / 2.
    const vars = model.params.trainable();
    const withTerm = tf.variableGrads(() => trainingObjective(model, quant, x, y, [restrictionTerm(lambda)]).total, vars);
    const constMask = tf.tensor4d(maskArr, [batch, 32, 32, 1]);
    const handMade = tf.variableGrads(() => {
      const ceOf = (input: tf.Tensor4D) => {
        const z = forward(model.arch, model.params, input, { training: true, quant }).logits;
        return tf.mean(tf.sub(tf.logSumExp(z, 1), tf.sum(tf.mul(z, tf.oneHot(y, 10)), 1)));
      };
      return tf.div(tf.add(ceOf(x), ceOf(tf.mul(x, constMask) as tf.Tensor4D)), 2) as tf.Scalar;
    }, vars);
    for (const name of Object.keys(handMade.grads)) {
      const a = withTerm.grads[name].dataSync();
      const b = handMade.grads[name].dataSync();
      const scale = Math.max(1e-6, ...Array.from(b, Math.abs));
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-4 * scale);
    }
    tf.dispose([withTerm.value, handMade.value, ...Object.values(withTerm.grads), ...Object.values(handMade.grads), constMask, x, y]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('attentionMasks returns the step’s masks for the first images as plain arrays', async () => {
    const model = BnnModel.create(cfg, 10);
    const quant = model.quant();
    const x = batchInput();
    const xData = x.dataSync() as Float32Array;
    const fData = tf.tidy(() => forward(model.arch, model.params, x, { training: true, quant, keep: [model.arch.lastStage] }).outputs[model.arch.lastStage].dataSync() as Float32Array);
    const before = tf.memory().numTensors;
    const samples = await attentionMasks(model, quant, x, lambda, 3);
    expect(tf.memory().numTensors).toBe(before);
    expect(samples).toHaveLength(3);
    samples.forEach((s, n) => {
      expect([s.height, s.width, s.channels]).toEqual([32, 32, 3]);
      const ref = maskRef(fData, n, 8, 8, 32, 32, 32, lambda);
      expect(Array.from(s.mask)).toEqual(ref.mask);
      expect(Array.from(s.input)).toEqual(Array.from(xData.subarray(n * 3072, (n + 1) * 3072)));
      const peak = Math.max(...ref.resized);
      ref.resized.forEach((v, p) => expect(s.attention[p]).toBeCloseTo(v / peak, 5));
      for (let p = 0; p < 1024; p++) {
        for (let k = 0; k < 3; k++) {
          const i = p * 3 + k;
          // masked pixels are exactly 0, the normalised mean colour; kept pixels are unchanged
          expect(s.masked[i] + 0).toBe(s.mask[p] === 1 ? s.input[i] : 0);
        }
      }
    });
    expect(await attentionMasks(model, quant, x, lambda, 0)).toEqual([]);
    expect(await attentionMasks(model, quant, x, lambda, 99)).toHaveLength(batch);
    x.dispose();
    model.dispose();
  });
});
