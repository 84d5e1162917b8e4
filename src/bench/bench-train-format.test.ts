import { describe, expect, it } from 'vitest';
import type { StepBenchResult, VariantTiming } from './step-bench';
import { formatStepBenchTable, pairedSpeedup, type BenchColumn } from './bench-train-format';

function timing(variant: VariantTiming['variant'], samples: number[], forwardSamples: number[]): VariantTiming {
  const med = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
  return {
    variant,
    label: variant,
    msPerStep: med(samples),
    samples,
    msPerForward: med(forwardSamples),
    forwardSamples,
    stepOverForward: med(samples.map((s, i) => s / forwardSamples[i])),
  };
}

function result(binary: [number[], number[]], fp: [number[], number[]]): StepBenchResult {
  return {
    backend: 'wasm',
    settings: { dataset: 'mnist-small', width: 16, batchSize: 32, warmupRounds: 1, rounds: 3, stepsPerSample: 1 },
    depths: [
      {
        depth: 8,
        variants: [timing('binary', ...binary), timing('fp', ...fp)],
        ratios: { binaryOverFp: 1.1, fpOverLayers: null, binaryOverLayers: null, layersVariant: null },
      },
    ],
    tensorDelta: 0,
    totalMs: 1000,
  };
}

describe('pairedSpeedup', () => {
  it('is the median of slow / fast round by round', () => {
    expect(pairedSpeedup([100, 100, 50], [180, 150, 100])).toBe(1.8);
    expect(pairedSpeedup([], [1])).toBeNull();
  });
});

describe('formatStepBenchTable', () => {
  const all = { title: 'Browser wasm, 2 threads', result: result([[300, 320, 310], [100, 100, 100]], [[280, 270, 260], [90, 90, 90]]) };
  const one = { title: 'Browser wasm, 1 thread', result: result([[540, 480, 620], [170, 160, 180]], [[400, 420, 450], [150, 150, 150]]) };
  const columns: BenchColumn[] = [
    all,
    one,
    { title: 'wasm 2 threads vs 1: speed-up', speedup: { fast: all.title, slow: one.title } },
    { title: 'Browser webgl', error: 'the backend did not start' },
    { title: 'Browser webgpu', absent: 'WebGPU has no adapter' },
  ];
  const table = formatStepBenchTable(columns);
  const lines = table.split('\n');

  it('gives each column ms per step, ms per forward and step/forward, and the speed-up column step and forward', () => {
    expect(lines[0]).toMatch(/Browser wasm, 2 threads\s+Browser wasm, 1 thread\s+wasm 2 threads vs 1: speed-up\s+Browser webgl$/);
    expect(lines[1]).toMatch(/^ms \(median\)\s+ms\/step\s+ms\/fwd\s+step\/fwd\s+ms\/step\s+ms\/fwd\s+step\/fwd\s+step\s+forward\s+ms\/step/);
  });

  it('fills the binarized row: medians, step/forward, and the paired speed-ups against the goal', () => {
    const row = lines.find((l) => l.includes('ours, binarized')) as string;
    // all threads: 310 ms/step, 100 ms/fwd, 3.10x; one thread: 540, 170, 3.18x (median of 540/170, 480/160, 620/180)
    // speed-up per step: median(540/300, 480/320, 620/310) = 1.8 (ok against 1.6); forward: median(1.7, 1.6, 1.8) = 1.7
    expect(row.split(/\s{2,}/).slice(2, 10)).toEqual(['310', '100', '3.10x', '540', '170', '3.18x', '1.80x ok', '1.70x']);
    expect(row).toMatch(/failed \[1\]$/);
  });

  it('marks a speed-up under the goal', () => {
    const fpRow = lines.find((l) => l.includes('ours, full precision')) as string;
    // slow / fast per round: 400/280, 420/270, 450/260; median 1.56, under 1.6
    expect(fpRow).toContain('1.56x under');
  });

  it('notes the failed column, the absent one and how the speed-up was measured', () => {
    expect(table).toContain('[1] Browser webgl: the backend did not start');
    expect(table).toContain('Browser webgpu: not present here (WebGPU has no adapter).');
    expect(table).toContain('ran in lockstep');
    expect(lines[0]).not.toContain('webgpu');
  });
});
