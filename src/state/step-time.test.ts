import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, applyPreset } from '../bnn/config';
import { estimateDuration, loadStepTimes, saveStepTimes, shapeKey, typicalStepMs } from './step-time';

const step = (ms: number) => ({ step: 0, epoch: 0, loss: 0, ce: 0, accuracy: 0, lr: 0, latentLr: 0, t: 1, k: 1, ms, gradNorm: 0 });

describe('step times', () => {
  it('keys a config by what a step costs, not by the quantizers', () => {
    const base = shapeKey(DEFAULT_CONFIG);
    expect(shapeKey({ ...DEFAULT_CONFIG, weightTransform: 'xnor', activationEstimator: 'ste', seed: 9, steps: 5, lr: 1 })).toBe(base);
    // MNIST and Fashion-MNIST share their 28×28×1 shape.
    expect(shapeKey({ ...DEFAULT_CONFIG, dataset: 'fashion-mnist' })).toBe(base);
    for (const change of [{ width: 32 as const }, { depth: 20 as const }, { batchSize: 64 }, { backend: 'webgl' as const }, { precision: 'full' as const }, { dataset: 'shapes' as const }, { restriction: true }]) {
      expect(shapeKey({ ...DEFAULT_CONFIG, ...change })).not.toBe(base);
    }
    expect(shapeKey(applyPreset(DEFAULT_CONFIG, 'dirnet'))).toContain('teacher');
  });

  it('takes the median after the first three steps, and needs five', () => {
    expect(typicalStepMs([900, 800, 700, 10, 30, 20].map(step))).toBe(20);
    expect(typicalStepMs([1, 2, 3, 4].map(step))).toBeNull();
  });

  it('estimates steps × the measured time of the same shape only', () => {
    const times = { [shapeKey(DEFAULT_CONFIG)]: { msPerStep: 90, from: 'a 3-step measurement', at: 1 } };
    expect(estimateDuration({ ...DEFAULT_CONFIG, steps: 2000 }, times)).toEqual({ seconds: 180, msPerStep: 90, from: 'a 3-step measurement' });
    expect(estimateDuration({ ...DEFAULT_CONFIG, width: 32 }, times)).toBeNull();
  });

  it('round-trips through storage and ignores what it cannot read', () => {
    const mem = new Map<string, string>();
    const storage = { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v) };
    const times = { a: { msPerStep: 12.5, from: '#1 run', at: 3 } };
    saveStepTimes(times, storage);
    expect(loadStepTimes(storage)).toEqual(times);
    mem.set('bnn-playground-step-times', '{"a":{"msPerStep":-1,"from":"x"},"b":{"msPerStep":5,"from":"y"},"c":7}');
    expect(Object.keys(loadStepTimes(storage))).toEqual(['b']);
    mem.set('bnn-playground-step-times', 'not json');
    expect(loadStepTimes(storage)).toEqual({});
    expect(loadStepTimes(undefined)).toEqual({});
  });
});
