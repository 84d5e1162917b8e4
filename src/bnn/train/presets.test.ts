import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../test/tf';
import { loadMnistSmallNode } from '../../data/mnist-node';
import { createShapesDataset } from '../../data/shapes';
import type { ImageDataset } from '../../data/dataset';
import { DEFAULT_CONFIG, PRESETS, applyPreset, type PresetName, type RunConfig } from '../config';
import type { BnnModel } from '../model/model';
import { Trainer, type StepMetrics } from './trainer';

let mnist: ImageDataset;
let shapes: ImageDataset;
let fpTrainer: Trainer | null = null;

beforeAll(async () => {
  await useBackend('wasm');
  mnist = loadMnistSmallNode();
  shapes = createShapesDataset({ seed: 2, trainSize: 400, testSize: 40 });
});
afterAll(() => fpTrainer?.dispose());

const STEPS = 24;
const WINDOW = 6;
const base: RunConfig = {
  ...DEFAULT_CONFIG,
  depth: 8,
  width: 8,
  batchSize: 16,
  steps: STEPS,
  evalEvery: STEPS,
  evalLimit: 32,
  lr: 3e-3,
  seed: 5,
};

async function train(cfg: RunConfig, data: ImageDataset, teacher?: BnnModel): Promise<{ trainer: Trainer; steps: StepMetrics[]; counts: number[] }> {
  const steps: StepMetrics[] = [];
  const counts: number[] = [];
  const trainer = new Trainer(cfg, data, {
    onStep: (m) => {
      steps.push(m);
      counts.push(tf.memory().numTensors);
    },
  }, { teacher });
  const out = await trainer.run();
  expect(out.status).toBe('finished');
  return { trainer, steps, counts };
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/**
 * Every preset in the order the teacher needs: the FP run goes first and, once finished,
 * teaches the DIR-Net run (same dataset, depth and width), as a finished FP run does in the app.
 * Loss is compared as the mean of the first vs the last WINDOW steps (batch 16 is noisy).
 */
const ORDER: PresetName[] = ['fp', 'vanilla', 'xnor', 'bireal', 'irnet', 'reactnet', 'ir2net', 'dirnet'];

describe('a short run of every preset trains on wasm (depth 8, width 8)', () => {
  it('covers every preset', () => {
    expect([...ORDER].sort()).toEqual(Object.keys(PRESETS).sort());
  });

  it.each(ORDER)('%s: finite loss that decreases, flat tensor count', async (name) => {
    // IR2Net on the colour shapes, where masking the background means something; the rest on MNIST.
    const cfg = applyPreset(name === 'ir2net' ? { ...base, dataset: 'shapes' } : base, name);
    const data = name === 'ir2net' ? shapes : mnist;
    const teacher = name === 'dirnet' ? fpTrainer?.model : undefined;
    if (name === 'dirnet') expect(teacher).toBeDefined();
    const { trainer, steps, counts } = await train(cfg, data, teacher);
    expect(steps).toHaveLength(STEPS);
    expect(steps.every((s) => Number.isFinite(s.loss) && Number.isFinite(s.ce))).toBe(true);
    const first = mean(steps.slice(0, WINDOW).map((s) => s.loss));
    const last = mean(steps.slice(-WINDOW).map((s) => s.loss));
    const trace = `${name} losses: ${steps.map((s) => s.loss.toFixed(2)).join(' ')}`;
    expect(last, trace).toBeLessThan(0.95 * first);
    expect(Math.max(...counts.slice(2))).toBe(Math.min(...counts.slice(2)));
    if (name === 'fp') fpTrainer = trainer;
    else trainer.dispose();
  });
});
