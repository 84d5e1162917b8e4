import { describe, expect, it } from 'vitest';
import { useBackend } from '../test/tf';
import { checkDataset } from '../bnn/backend-check';
import { DEFAULT_CONFIG, applyPreset } from '../bnn/config';
import { profileTraining } from './train-profile';

describe('profileTraining (Node wasm, a tiny network)', () => {
  it('times every phase, and tf.memory() is the same after the first and the last measured step', async () => {
    await useBackend('wasm');
    const config = applyPreset({ ...DEFAULT_CONFIG, depth: 8, width: 8, batchSize: 4, evalEvery: 1_000_000, bnCalibration: 0, backend: 'wasm' }, 'irnet');
    const p = await profileTraining({ config, data: checkDataset(64, 16), steps: 6, warmup: 2, repeats: 1 });
    expect(p.steps).toBe(6);
    expect(p.stepMs).toBeGreaterThan(0);
    expect(p.phases.find((x) => x.phase === 'forward+backward')!.ms).toBeGreaterThan(0);
    expect(p.kernels.length).toBeGreaterThan(0);
    expect(p.memoryFirstStep.numTensors).toBeGreaterThan(0);
    // a step's intermediate tensors outweigh what stays alive between steps
    expect(p.peakBytes).toBeGreaterThan(p.memoryLastStep.numBytes);
    // no per-step leak: the same tensors and bytes stay alive from step to step
    expect(p.memoryLastStep).toEqual(p.memoryFirstStep);
  }, 120_000);
});
