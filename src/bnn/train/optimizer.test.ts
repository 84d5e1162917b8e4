import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../test/tf';
import { DEFAULT_CONFIG, type RunConfig } from '../config';
import { BnnModel, latentWeightNames } from '../model/model';
import { ScheduledOptimizer, type ParamGroup } from './optimizer';
import { parameterGroups } from './param-groups';
import { warmupCosineLr } from './schedules';

beforeAll(() => useBackend('cpu'));

function group(name: ParamGroup['name'], peakLr: number, v: tf.Variable, decay: boolean): ParamGroup {
  return { name, peakLr, variables: new Set([v.name]), decayed: new Map(decay ? [[v.name, v]] : []) };
}

describe('warm-up + cosine learning rate', () => {
  it('rises linearly over the warm-up, then follows the cosine over the remaining steps', () => {
    expect(warmupCosineLr(1, 0, 100, 10)).toBeCloseTo(0.1, 12);
    expect(warmupCosineLr(1, 9, 100, 10)).toBeCloseTo(1, 12);
    expect(warmupCosineLr(1, 10, 100, 10)).toBeCloseTo(1, 12);
    // halfway through the 90 cosine steps: (1 + cos(π/2)) / 2 = 0.5
    expect(warmupCosineLr(1, 55, 100, 10)).toBeCloseTo(0.5, 12);
    expect(warmupCosineLr(2, 25, 100, 0)).toBeCloseTo(2 * (1 + Math.cos(Math.PI / 4)) / 2, 12);
  });
});

describe('ScheduledOptimizer parameter groups', () => {
  it('SGD: each group steps with its own learning rate; weight decay adds λ·w to the gradient', () => {
    const a = tf.variable(tf.tensor1d([1, -2]), true, 'sgd-a');
    const b = tf.variable(tf.tensor1d([3]), true, 'sgd-b');
    const cfg = { optimizer: 'sgd' as const, momentum: 0, weightDecay: 0.1, steps: 10, warmupSteps: 0 };
    const opt = new ScheduledOptimizer(cfg, [group('latent', 0.5, a, false), group('float', 0.01, b, true)]);
    const lrs = opt.setStep(0);
    expect(lrs).toEqual({ latent: 0.5, float: 0.01 });
    opt.apply({ [a.name]: tf.tensor1d([2, 4]), [b.name]: tf.tensor1d([1]) });
    expect(Array.from(a.dataSync())).toEqual([1 - 0.5 * 2, -2 - 0.5 * 4].map(Math.fround));
    expect(b.dataSync()[0]).toBeCloseTo(3 - 0.01 * (1 + 0.1 * 3), 6);
    opt.dispose();
    tf.dispose([a, b]);
  });

  it.each(['sgd', 'adam'] as const)('%s: disposing releases every tensor the optimiser made', (optimizer) => {
    const a = tf.variable(tf.tensor1d([1, -2]), true, `leak-${optimizer}-a`);
    const b = tf.variable(tf.tensor1d([3]), true, `leak-${optimizer}-b`);
    const before = tf.memory().numTensors;
    const cfg = { optimizer, momentum: 0.9, weightDecay: 0.1, steps: 10, warmupSteps: 0 };
    const opt = new ScheduledOptimizer(cfg, [group('latent', 0.5, a, false), group('float', 0.01, b, true)]);
    for (let step = 0; step < 3; step++) {
      opt.setStep(step);
      const grads = { [a.name]: tf.tensor1d([2, 4]), [b.name]: tf.tensor1d([1]) };
      opt.apply(grads);
      tf.dispose(Object.values(grads));
    }
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([a, b]);
  });

  it('Adam: the first step moves each weight by its group lr (m̂/√v̂ = sign g); decay is decoupled', () => {
    const a = tf.variable(tf.tensor1d([0.5]), true, 'adam-a');
    const b = tf.variable(tf.tensor1d([2]), true, 'adam-b');
    const cfg = { optimizer: 'adam' as const, momentum: 0.9, weightDecay: 0.05, steps: 4, warmupSteps: 2 };
    const opt = new ScheduledOptimizer(cfg, [group('latent', 0.01, a, false), group('float', 0.002, b, true)]);
    // warm-up: step 0 of 2 runs at half the peak
    expect(opt.setStep(0)).toEqual({ latent: 0.005, float: 0.001 });
    opt.apply({ [a.name]: tf.tensor1d([-3]), [b.name]: tf.tensor1d([0.7]) });
    expect(a.dataSync()[0]).toBeCloseTo(0.5 + 0.005, 6);
    expect(b.dataSync()[0]).toBeCloseTo((2 - 0.001) * (1 - 0.001 * 0.05), 6);
    opt.dispose();
    tf.dispose([a, b]);
  });
});

describe('model parameter groups', () => {
  const cfg: RunConfig = { ...DEFAULT_CONFIG, depth: 8, width: 8, seed: 3 };

  it('the latent group holds exactly the binary convs’ weights, at latentLr; the rest at lr', () => {
    const m = BnnModel.create(cfg, 10);
    const [latent, float] = parameterGroups(m, { lr: 0.002, latentLr: 0.007 });
    expect(latent.name).toBe('latent');
    expect(latent.peakLr).toBe(0.007);
    expect([...latent.variables].sort()).toEqual(latentWeightNames(m.arch).map((n) => m.params.get(n).name).sort());
    expect(latent.decayed.size).toBe(0);
    expect(float.peakLr).toBe(0.002);
    const trainable = m.params.trainable().map((v) => v.name);
    expect([...latent.variables, ...float.variables].sort()).toEqual(trainable.sort());
    // the float group decays its conv and dense weights only (the stem conv and the head)
    expect([...float.decayed.keys()].length).toBe(2);
    m.dispose();
    const fp = BnnModel.create({ ...cfg, precision: 'full' }, 10);
    expect(parameterGroups(fp, { lr: 0.002, latentLr: 0.007 }).map((g) => g.name)).toEqual(['float']);
    fp.dispose();
  });

  it('latentInitScale scales only the latent weights of the same seeded draw', async () => {
    const he = BnnModel.create({ ...cfg, latentInitScale: 1 }, 10);
    const small = BnnModel.create({ ...cfg, latentInitScale: 0.1 }, 10);
    const [a, b] = [await he.params.snapshot(), await small.params.snapshot()];
    const latent = new Set(latentWeightNames(he.arch));
    expect(latent.size).toBe(6);
    for (const name of Object.keys(a)) {
      const scale = latent.has(name) ? 0.1 : 1;
      a[name].data.forEach((v, i) => expect(b[name].data[i]).toBeCloseTo(v * scale, 6));
    }
    he.dispose();
    small.dispose();
  });
});
