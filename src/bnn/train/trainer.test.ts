import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { useBackend } from '../../test/tf';
import { loadMnistSmallNode } from '../../data/mnist-node';
import type { ImageDataset } from '../../data/dataset';
import { DEFAULT_CONFIG, type RunConfig } from '../config';
import { Trainer, type StepMetrics } from './trainer';

let mnist: ImageDataset;
beforeAll(async () => {
  await useBackend('wasm');
  mnist = loadMnistSmallNode();
});

const tiny: RunConfig = { ...DEFAULT_CONFIG, depth: 8, width: 8, batchSize: 32, steps: 40, evalEvery: 40, evalLimit: 500, seed: 3, lr: 3e-3 };

describe('Trainer on real MNIST (wasm)', () => {
  it('an IR-Net ResNet-8 lowers the loss, beats chance on the test split, and leaks no tensors', async () => {
    const steps: StepMetrics[] = [];
    const counts: number[] = [];
    const trainer = new Trainer(tiny, mnist, {
      onStep: (m) => {
        steps.push(m);
        counts.push(tf.memory().numTensors);
      },
    });
    const out = await trainer.run();
    expect(out.status).toBe('finished');
    expect(steps).toHaveLength(40);
    const first = mean(steps.slice(0, 8).map((s) => s.loss));
    const last = mean(steps.slice(-8).map((s) => s.loss));
    expect(last).toBeLessThan(first * 0.8);
    expect(out.lastEval!.accuracy).toBeGreaterThan(0.3);
    // t rises, k falls (EDE), lr decays along the cosine
    expect(steps[0].t).toBeCloseTo(0.1, 6);
    expect(steps[39].t).toBeGreaterThan(8);
    expect(steps[39].lr).toBeLessThan(steps[0].lr);
    // tensors held stay flat across steps (after the optimiser allocated its slots in step 1)
    expect(Math.max(...counts.slice(2))).toBe(Math.min(...counts.slice(2)));
    trainer.dispose();
  });

  it('is reproducible for a seed', async () => {
    const run = async (): Promise<number[]> => {
      const losses: number[] = [];
      const t = new Trainer({ ...tiny, steps: 4, evalEvery: 100 }, mnist, { onStep: (m) => losses.push(m.loss) });
      await t.run();
      t.dispose();
      return losses;
    };
    expect(await run()).toEqual(await run());
  });

  it('stops on a non-finite loss with a clear message and keeps the last good weights', async () => {
    const statuses: string[] = [];
    const t = new Trainer({ ...tiny, precision: 'full', lr: 1e9, optimizer: 'sgd', momentum: 0, steps: 50 }, mnist, {
      onStatus: (s, m) => statuses.push(`${s}:${m ?? ''}`),
    });
    const out = await t.run();
    expect(out.status).toBe('failed');
    expect(out.message).toMatch(/training stopped at step \d+: the (loss|gradient) became (NaN|infinite)/);
    const snap = await t.snapshot();
    for (const { data } of Object.values(snap)) expect(data.every(Number.isFinite)).toBe(true);
    expect(statuses.at(-1)).toMatch(/^failed:/);
    t.dispose();
  });

  it('pauses between steps and resumes where it left off', async () => {
    let seen = 0;
    let paused!: () => void;
    const pausedNow = new Promise<void>((r) => (paused = r));
    const t = new Trainer({ ...tiny, steps: 6, evalEvery: 100 }, mnist, {
      onStep: (m) => {
        seen = m.step;
        if (m.step === 2) t.pause();
      },
      onStatus: (s) => {
        if (s === 'paused') paused();
      },
    });
    const done = t.run();
    await pausedNow;
    // While paused no step runs, however long we wait.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(seen).toBe(2);
    expect(t.currentStep).toBe(2);
    t.resume();
    const out = await done;
    expect(out.steps).toBe(6);
    t.dispose();
  });

  it('starts paused and trains exactly one batch per stepOnce, then resumes to the end', async () => {
    const seen: number[] = [];
    const statuses: string[] = [];
    const t = new Trainer({ ...tiny, steps: 5, evalEvery: 100 }, mnist, { onStep: (m) => seen.push(m.step), onStatus: (s) => statuses.push(s) }, { startPaused: true });
    expect(t.paused).toBe(true);
    const done = t.run();
    await new Promise((r) => setTimeout(r, 500));
    expect(seen).toEqual([]);
    expect(statuses).toEqual(['paused']);
    t.stepOnce();
    t.stepOnce();
    await waitFor(() => seen.length === 2);
    // The granted steps are used up: no third step however long we wait.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(seen).toEqual([1, 2]);
    expect(t.paused).toBe(true);
    t.resume();
    const out = await done;
    expect(out.status).toBe('finished');
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    // stepOnce while running changes nothing.
    t.stepOnce();
    t.dispose();
  });

  it('stops while paused without training another step', async () => {
    const seen: number[] = [];
    const t = new Trainer({ ...tiny, steps: 5, evalEvery: 100 }, mnist, { onStep: (m) => seen.push(m.step) }, { startPaused: true });
    const done = t.run();
    t.stepOnce();
    await waitFor(() => seen.length === 1);
    t.stop();
    const out = await done;
    expect(out.status).toBe('stopped');
    expect(out.steps).toBe(1);
    expect(seen).toEqual([1]);
    t.dispose();
  });
});

async function waitFor(cond: () => boolean, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function mean(v: number[]): number {
  return v.reduce((a, b) => a + b, 0) / v.length;
}
