import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../test/tf';
import { loadMnistSmallNode } from '../../data/mnist-node';
import { DEFAULT_CONFIG, type RunConfig } from '../config';
import { BnnModel } from '../model/model';
import { forward } from '../model/forward';
import type { ParamSnapshot } from '../model/params';
import { trainingObjective } from './objective';
import { distillationTerm, kdLoss, rbdLoss } from './distillation';
import { checkTeacherCompatible } from './teacher-compatible';
import { Trainer } from './trainer';

beforeAll(() => useBackend('wasm'));

const scalar = (f: () => tf.Scalar): number => tf.tidy(() => f().dataSync()[0]);

describe('RBD loss', () => {
  it('is zero when student and teacher features are equal (or equal up to a positive scale per image)', () => {
    const v = scalar(() => {
      const a = tf.randomNormal([3, 4, 4, 2], 0, 1, 'float32', 1);
      const b = tf.randomNormal([3, 2, 2, 4], 0, 1, 'float32', 2);
      const scale = tf.tensor4d([2, 0.5, 7], [3, 1, 1, 1]);
      return tf.add(rbdLoss([a, b], [a, b]), rbdLoss([a, b], [tf.mul(a, scale), tf.mul(b, 3)]));
    });
    expect(Math.abs(v)).toBeLessThan(1e-6);
  });

  it('matches Σ_s mean_n ‖a/‖a‖ − b/‖b‖‖² on a hand example', () => {
    // Stage 1 ([2, 2]): image 0: (3,4)/5 − (1,0) = (−0.4, 0.8) → 0.16 + 0.64 = 0.8; image 1: (0,1) − (0,1) → 0.
    //   mean over the batch: 0.4
    // Stage 2 ([2, 1, 2, 1]): image 0: (1,1)/√2 − (1,−1)/√2 = (0, √2) → 2; image 1: (1,0) − (1,0) → 0.
    //   mean: 1
    // L_RBD = 0.4 + 1 = 1.4
    const v = scalar(() =>
      rbdLoss(
        [tf.tensor2d([[3, 4], [0, 2]]), tf.tensor4d([1, 1, 1, 0], [2, 1, 2, 1])],
        [tf.tensor2d([[1, 0], [0, 5]]), tf.tensor4d([1, -1, 2, 0], [2, 1, 2, 1])],
      ),
    );
    expect(v).toBeCloseTo(1.4, 6);
  });

  it('refuses mismatched stage shapes with a message', () => {
    expect(() => tf.tidy(() => rbdLoss([tf.zeros([2, 4])], [tf.zeros([2, 5])]))).toThrow(/stage 0 has shape \[2,4\] in the student but \[2,5\]/);
  });
});

describe('logit KD', () => {
  it('τ²·KL(softmax(z_T/τ) ‖ softmax(z_S/τ)) on a hand example', () => {
    // τ = 2, z_T = (0, 0) → p_T = (½, ½); z_S = (2 ln 3, 0) → z_S/τ = (ln 3, 0) → p_S = (¾, ¼).
    // KL = ½ ln(½ / ¾) + ½ ln(½ / ¼) = ½ ln(4/3);  τ²·KL = 2 ln(4/3).
    // A second row with equal logits adds 0; the batch mean halves the sum.
    const v = scalar(() => kdLoss(tf.tensor2d([[2 * Math.log(3), 0], [1, 2]]), tf.tensor2d([[0, 0], [1, 2]]), 2));
    expect(v).toBeCloseTo(Math.log(4 / 3), 5);
    expect(scalar(() => kdLoss(tf.tensor2d([[5, -1, 2]]), tf.tensor2d([[5, -1, 2]]), 4))).toBeCloseTo(0, 6);
  });
});

const student: RunConfig = {
  ...DEFAULT_CONFIG,
  depth: 8,
  width: 8,
  weightTransform: 'imb',
  activationEstimator: 'dte', weightEstimator: 'dte',
  distill: true,
  distillBeta: 2.5,
  kd: true,
  kdTau: 3,
  batchSize: 8,
  steps: 3,
  evalEvery: 100,
  evalLimit: 16,
  seed: 4,
};
const teacherCfg: RunConfig = { ...student, precision: 'full', distill: false, kd: false, seed: 9 };

describe('distillation term on ResNet-8 models (wasm)', () => {
  it('adds β·L_RBD + τ²·KL computed from the student’s training pass and the teacher’s inference pass', () => {
    const s = BnnModel.create(student, 10);
    const t = BnnModel.create(teacherCfg, 10);
    const quant = s.quant();
    const before = tf.memory().numTensors;
    const x = tf.randomNormal([4, 28, 28, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    const y = tf.tensor1d([1, 2, 3, 4], 'int32');

    // Reference in plain JS from the two passes.
    const grab = (m: BnnModel, training: boolean) =>
      tf.tidy(() => {
        const r = forward(m.arch, m.params, x, { training, quant: training ? quant : undefined, keep: m.arch.stageOutputs });
        return { stages: m.arch.stageOutputs.map((n) => r.outputs[n].dataSync() as Float32Array), logits: r.logits.dataSync() as Float32Array };
      });
    const sb = grab(s, true);
    const tb = grab(t, false);
    let rbd = 0;
    sb.stages.forEach((a, i) => {
      const b = tb.stages[i];
      const d = a.length / 4;
      for (let n = 0; n < 4; n++) {
        const an = a.subarray(n * d, (n + 1) * d);
        const bn = b.subarray(n * d, (n + 1) * d);
        const na = Math.hypot(...an);
        const nb = Math.hypot(...bn);
        let sq = 0;
        for (let j = 0; j < d; j++) sq += (an[j] / na - bn[j] / nb) ** 2;
        rbd += sq / 4;
      }
    });
    let kd = 0;
    const tau = student.kdTau;
    for (let n = 0; n < 4; n++) {
      const soft = (z: Float32Array) => {
        const e = Array.from(z.subarray(n * 10, n * 10 + 10), (v) => Math.exp(v / tau));
        const sum = e.reduce((p, q) => p + q, 0);
        return e.map((v) => v / sum);
      };
      const pt = soft(tb.logits);
      const ps = soft(sb.logits);
      kd += (tau * tau * pt.reduce((acc, p, j) => acc + p * Math.log(p / ps[j]), 0)) / 4;
    }
    expect(rbd).toBeGreaterThan(0);
    expect(kd).toBeGreaterThan(0);

    const [part, ce, total] = tf.tidy(() => {
      const obj = trainingObjective(s, quant, x, y, [distillationTerm(t, { rbd: true, beta: student.distillBeta, kd: true, tau })]);
      return [obj.parts.distill.dataSync()[0], obj.ce.dataSync()[0], obj.total.dataSync()[0]];
    });
    expect(part).toBeCloseTo(student.distillBeta * rbd + kd, 4);
    expect(total).toBeCloseTo(ce + part, 5);
    const noKd = scalar(() => trainingObjective(s, quant, x, y, [distillationTerm(t, { rbd: true, beta: 1, kd: false, tau })]).parts.distill);
    expect(noKd).toBeCloseTo(rbd, 4);

    // Even with the teacher's variables in the list, no gradient reaches them.
    const vars = [...s.params.trainable(), ...t.params.trainable()];
    const g = tf.variableGrads(
      () => trainingObjective(s, quant, x, y, [distillationTerm(t, { rbd: true, beta: 1, kd: true, tau })]).total,
      vars,
    );
    const teacherNames = new Set(t.params.trainable().map((v) => v.name));
    const studentNames = new Set(s.params.trainable().map((v) => v.name));
    let teacherAbs = 0;
    let studentAbs = 0;
    for (const [name, grad] of Object.entries(g.grads)) {
      const sum = tf.tidy(() => tf.sum(tf.abs(grad)).dataSync()[0]);
      if (teacherNames.has(name)) teacherAbs += sum;
      if (studentNames.has(name)) studentAbs += sum;
    }
    expect(teacherAbs).toBe(0);
    expect(studentAbs).toBeGreaterThan(0);
    tf.dispose([g.value, ...Object.values(g.grads), x, y]);
    expect(tf.memory().numTensors).toBe(before);
    s.dispose();
    t.dispose();
  });

  it('the teacher’s weights and moving statistics do not change during a training run', async () => {
    const mnist = loadMnistSmallNode();
    const teacher = BnnModel.create(teacherCfg, 10);
    const before = await teacher.params.snapshot();
    const losses: number[] = [];
    const trainer = new Trainer(student, mnist, { onStep: (m) => losses.push(m.loss) }, { teacher });
    const out = await trainer.run();
    expect(out.status).toBe('finished');
    expect(losses).toHaveLength(3);
    expect(losses.every(Number.isFinite)).toBe(true);
    const after: ParamSnapshot = await teacher.params.snapshot();
    for (const [name, { data }] of Object.entries(before)) expect(Array.from(after[name].data)).toEqual(Array.from(data));
    // while the student did move
    const s0 = BnnModel.create(student, 10);
    const init = await s0.params.snapshot();
    const trained = await trainer.snapshot();
    expect(Array.from(trained['s1.b0.conv1.w'].data)).not.toEqual(Array.from(init['s1.b0.conv1.w'].data));
    s0.dispose();
    trainer.dispose();
    teacher.dispose();
  });
});

describe('checkTeacherCompatible', () => {
  it('accepts a full-precision run of the same architecture', () => {
    expect(checkTeacherCompatible(student, teacherCfg)).toBeNull();
    // optimiser, seed, steps and quantiser toggles do not matter
    const other: RunConfig = { ...teacherCfg, lr: 0.1, seed: 1, steps: 9, weightTransform: 'none' };
    expect(checkTeacherCompatible(student, other)).toBeNull();
  });

  it('names every mismatch', () => {
    expect(checkTeacherCompatible({ ...student, depth: 8 }, { ...teacherCfg, depth: 20 })).toBe(
      'teacher must be a full-precision run of the same architecture: depth 20 vs 8 (teacher vs student)',
    );
    expect(checkTeacherCompatible(student, { ...teacherCfg, precision: 'binary', width: 16, dataset: 'shapes' })).toBe(
      'teacher must be a full-precision run of the same architecture: the teacher is binary, dataset shapes vs mnist, width 16 vs 8 (teacher vs student)',
    );
    expect(checkTeacherCompatible({ ...student, recovery: 'compact' }, teacherCfg)).toMatch(/recovery off vs compact/);
    expect(
      checkTeacherCompatible({ ...student, recovery: 'compact', recoveryRatio: 4 }, { ...teacherCfg, recovery: 'compact', recoveryRatio: 2 }),
    ).toMatch(/recovery ratio 2 vs 4/);
    // the ratio is irrelevant without the compact module
    expect(checkTeacherCompatible({ ...student, recovery: 'full', recoveryRatio: 4 }, { ...teacherCfg, recovery: 'full', recoveryRatio: 2 })).toBeNull();
  });
});
