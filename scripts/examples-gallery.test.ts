import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/bnn/config';
import type { RunMetrics } from '../src/cli/run';
import { parseExampleFile } from '../src/state/example-file';
import { exampleFile, planGallery } from './examples-gallery';

const committed = JSON.parse(readFileSync('examples/gallery.json', 'utf8')) as Record<string, unknown>;

describe('the example gallery plan', () => {
  it('expands the committed gallery: seven MNIST presets with the FP teacher first, and the Fashion-MNIST IR-Net grid', () => {
    const { runs } = planGallery(committed);
    const mnist = runs.filter((r) => r.group === 'mnist').map((r) => r.id);
    expect(mnist[0]).toBe('mnist-fp');
    expect(new Set(mnist)).toEqual(new Set(['mnist-fp', 'mnist-vanilla', 'mnist-xnor', 'mnist-bireal', 'mnist-irnet', 'mnist-ir2net', 'mnist-dirnet']));
    const dirnet = runs.find((r) => r.id === 'mnist-dirnet')!;
    expect(dirnet.teacher).toBe('mnist-fp');
    expect(dirnet.config.teacherRunId).toBe('example-mnist-fp');
    const grid = runs.filter((r) => r.group === 'fashion-irnet-grid');
    expect(grid.map((r) => r.row)).toEqual(['fp', 'vanilla', 'librapb-ste', 'none-ede', 'irnet']);
    expect(grid.every((r) => r.config.dataset === 'fashion-mnist' && !r.compare)).toBe(true);
    // Small budgets on the same base everywhere.
    expect(new Set(runs.map((r) => `${r.config.depth}/${r.config.width}/${r.config.steps}/${r.config.seed}/${r.config.backend}`)).size).toBe(1);
  });

  it('refuses a distillation preset without a teacher, unknown keys and a group with both presets and a grid', () => {
    const group = { id: 'g', label: 'G', dataset: 'mnist', compare: true };
    const base = { about: '', base: {}, statsEvery: 10, curvePoints: 50 };
    expect(() => planGallery({ ...base, groups: [{ ...group, presets: ['dirnet'] }] })).toThrow(/needs a teacher/);
    expect(() => planGallery({ ...base, groups: [{ ...group, presets: ['fp'], grid: 'irnet' }] })).toThrow(/either presets or a grid/);
    expect(() => planGallery({ ...base, extra: 1, groups: [{ ...group, presets: ['fp'] }] })).toThrow();
    expect(() => planGallery({ ...base, base: { depth: 9 }, groups: [{ ...group, presets: ['fp'] }] })).toThrow(/depth/);
  });
});

describe('exampleFile', () => {
  it('writes a file the app reads back: downsampled columns, every evaluation, masks as bytes', () => {
    const plan = planGallery(committed).runs.find((r) => r.id === 'mnist-ir2net')!;
    const n = 500;
    const steps = Array.from({ length: n }, (_, i) => ({ step: i + 1, epoch: (i + 1) / 1875, loss: 2 / (i + 1), ce: 2 / (i + 1), accuracy: i / n, lr: 0.002, latentLr: 0.005, t: 1, k: 1, ms: 100, gradNorm: 1 }));
    const layer = { name: 's1.b0.conv1', weightEntropy: 0.99991234, weightEntropyMin: 0.99, weightEntropyStd: 0.001, activationEntropy: 0.98, activationEntropyMin: 0.9, activationEntropyStd: 0.01, flipRatio: null, flippedSinceInit: 0.1, gradNorm: 0.5, quantError: 0.6, weightGradShare: 0.9, activationGradShare: 0.8, signDisagreement: 0.01 };
    const metrics = {
      config: { ...plan.config },
      backend: 'wasm',
      steps,
      evals: [{ step: 250, testAccuracy: 0.5, testLoss: 1, movingAccuracy: null, movingLoss: null }, { step: 500, testAccuracy: 0.9, testLoss: 0.3, movingAccuracy: 0.88, movingLoss: 0.35 }],
      layerStats: [{ step: 500, meanWeightEntropy: 1, meanActivationEntropy: 1, meanFlipRatio: null, meanFlippedSinceInit: 0.1, maxSignDisagreement: 0.01, maskKeep: 0.4, layers: [layer] }],
      timing: { trainMs: 12345.6, stepMsMean: 100, exportMs: 1, totalMs: 2 },
    } as unknown as RunMetrics;
    const sample = { height: 2, width: 2, channels: 1, input: new Float32Array([-1, 0, 1, 3]), attention: new Float32Array([0, 0.5, 1, 0.25]), mask: new Float32Array([0, 1, 1, 0]), masked: new Float32Array([-1, 0, 1, -1]), keep: 0.5, teacherAttention: null };
    const file = exampleFile(plan, metrics, 60, {
      command: 'npm run examples',
      commit: 'abc',
      generatedAt: '2025-01-01T00:00:00Z',
      modelFile: 'mnist-ir2net.safetensors',
      modelBytes: 1234,
      latentHistogram: { layer: 's1.b0.conv1', edges: [-1, 0, 1], counts: [3, 4] },
      masks: { step: 500, labels: ['7'], samples: [sample] },
    });
    expect(file.steps.step.length).toBeLessThanOrEqual(60);
    expect(file.steps.step[0]).toBe(1);
    expect(file.steps.step.at(-1)).toBe(500);
    const back = parseExampleFile(JSON.parse(JSON.stringify(file)), 'test.json');
    expect(back.config).toEqual({ ...DEFAULT_CONFIG, ...plan.config });
    expect(back.steps.at(-1)).toMatchObject({ step: 500, loss: 0.004, accuracy: 0.998, lr: 0.002, ms: 100 });
    expect(back.steps.at(-1)!.epoch).toBeCloseTo(500 / 1875, 5);
    expect(back.evals).toHaveLength(2);
    expect(back.evals[1].movingAccuracy).toBe(0.88);
    expect(back.layerStats[0].layers[0].weightEntropy).toBe(0.999912);
    expect(back.layerStats[0].latentHistogram?.counts).toEqual([3, 4]);
    expect(back.layerStats[0].maskKeep).toBe(0.4);
    const m = back.masks!.samples[0];
    expect([...m.mask]).toEqual([0, 1, 1, 0]);
    expect(m.attention[2]).toBe(1);
    // The input is stretched over its own range; the masked input uses the same range.
    expect(m.input[0]).toBe(0);
    expect(m.input[3]).toBe(1);
    expect(m.masked[3]).toBe(m.input[0]);
    expect(back.masks!.labels).toEqual(['7']);
  });

  it('refuses a file of another format with a message naming it', () => {
    expect(() => parseExampleFile({ format: 'other' }, 'x.json')).toThrow(/^x\.json: not an example file/);
  });
});
