import { describe, expect, it } from 'vitest';
import { useBackend } from '../test/tf';
import { checkDataset } from '../bnn/backend-check';
import { runStepBench } from './step-bench';

describe('runStepBench (Node wasm, a tiny sampling)', () => {
  it('times a step and a forward pass per round, pairs them, and awaits beforeRound before each round', async () => {
    await useBackend('wasm');
    const gates: string[] = [];
    const result = await runStepBench({
      data: checkDataset(64, 16),
      depths: [8],
      width: 8,
      batchSize: 8,
      variants: ['binary', 'fp'],
      warmupRounds: 1,
      rounds: 2,
      stepsPerSample: 1,
      beforeRound: async (depth, round) => {
        gates.push(`${depth}:${round}`);
      },
    });
    expect(gates).toEqual(['8:1', '8:2', '8:3']);
    expect(result.tensorDelta).toBe(0);
    for (const t of result.depths[0].variants) {
      expect(t.samples).toHaveLength(2);
      expect(t.forwardSamples).toHaveLength(2);
      expect(t.msPerForward).toBeGreaterThan(0);
      // A step runs the forward pass and more.
      expect(t.msPerStep).toBeGreaterThan(0);
      const ratios = t.samples.map((s, i) => s / t.forwardSamples[i]).sort((a, b) => a - b);
      expect(t.stepOverForward).toBeCloseTo((ratios[0] + ratios[1]) / 2, 9);
    }
    expect(result.depths[0].ratios.binaryOverFp).not.toBeNull();
  }, 120_000);
});
