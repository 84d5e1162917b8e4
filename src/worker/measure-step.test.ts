import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../test/tf';
import { DEFAULT_CONFIG, applyPreset, type RunConfig } from '../bnn/config';
import { measureStepMs } from './measure-step';

beforeAll(async () => {
  await useBackend('wasm');
});

const tiny: RunConfig = { ...DEFAULT_CONFIG, depth: 8, width: 8, batchSize: 8 };

describe('measureStepMs', () => {
  it('times the requested steps after one warm-up step and gives a positive median', async () => {
    const r = await measureStepMs(tiny, 3);
    expect(r.steps).toBe(3);
    expect(r.msPerStep).toBeGreaterThan(0);
    expect(Number.isFinite(r.msPerStep)).toBe(true);
  });

  it('measures configs with a teacher (a random full-precision one) and with restriction, on 32×32×3 images', async () => {
    const dirnet = await measureStepMs({ ...applyPreset(tiny, 'dirnet'), teacherRunId: 'some-run' }, 1);
    expect(dirnet.steps).toBe(1);
    expect(dirnet.msPerStep).toBeGreaterThan(0);
    const ir2net = await measureStepMs({ ...applyPreset(tiny, 'ir2net'), dataset: 'shapes' }, 1);
    expect(ir2net.msPerStep).toBeGreaterThan(0);
  });

  it('refuses a non-positive step count', async () => {
    await expect(measureStepMs(tiny, 0)).rejects.toThrow(/positive integer/);
  });
});
