import { afterEach, describe, expect, it, vi } from 'vitest';
import { runSuite } from './run-suite';
import { calibrateReps, median } from './timing';
import type { BenchCase, SuiteProgress } from './types';

afterEach(() => vi.restoreAllMocks());

/** A fake clock: performance.now() advances only when a fake run says so. */
function fakeClock(): { advance: (ms: number) => void } {
  let now = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  return { advance: (ms) => (now += ms) };
}

describe('timing helpers', () => {
  it('median of odd and even lengths', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('calibrateReps finds a batch of at least minSampleMs even with a coarse timer', () => {
    const clock = fakeClock();
    let runs = 0;
    // Each run costs 0.03 ms, but the clock only moves in 0.1 ms steps (like a browser).
    let pending = 0;
    const run = () => {
      runs++;
      pending += 0.03;
      while (pending >= 0.1) {
        clock.advance(0.1);
        pending -= 0.1;
      }
    };
    const reps = calibrateReps(run, 10);
    expect(reps * 0.03).toBeGreaterThanOrEqual(9.9);
    expect(reps * 0.03).toBeLessThan(40);
    expect(runs).toBeGreaterThan(reps);
  });
});

describe('runSuite', () => {
  it('interleaves blocks, reports progress to the total, pairs speed-ups per round and disposes', async () => {
    const clock = fakeClock();
    const calls: string[] = [];
    const impl = (id: string, role: 'peer' | 'part', ms: number) => ({
      id,
      label: id,
      role,
      setup: () => ({
        run: () => clock.advance(ms),
        activate: id === 'slow' ? () => void calls.push('activate slow') : undefined,
        dispose: () => void calls.push(`dispose ${id}`),
      }),
    });
    const cases: BenchCase[] = [
      {
        id: 'c1',
        title: 'case one',
        kind: 'gemm',
        ops: 2e6,
        params: { m: 1 },
        reference: 'fast',
        implementations: [impl('fast', 'peer', 2), impl('slow', 'peer', 6), impl('pack', 'part', 1)],
      },
    ];
    const progress: SuiteProgress[] = [];
    const result = await runSuite(cases, {
      settings: { warmupMs: 5, rounds: 4, samplesPerRound: 3, minSampleMs: 4 },
      onProgress: (p) => progress.push(p),
    });
    const total = 3 * (4 + 1);
    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect(progress.every((p) => p.total === total)).toBe(true);
    const [c] = result.cases;
    expect(c.implementations.map((i) => [i.id, i.medianMs, i.samples])).toEqual([
      ['fast', 2, 12],
      ['slow', 6, 12],
      ['pack', 1, 12],
    ]);
    expect(c.implementations[0].gops).toBeCloseTo(2e6 / 2 / 1e6);
    expect(c.speedups).toEqual([{ versus: 'slow', value: 3, perRound: [3, 3, 3, 3] }]);
    // activate before the warm-up and before each of the 4 rounds
    expect(calls.filter((x) => x === 'activate slow')).toHaveLength(5);
    expect(calls.filter((x) => x.startsWith('dispose')).sort()).toEqual(['dispose fast', 'dispose pack', 'dispose slow']);
  });

  it('stops between blocks when aborted and still disposes', async () => {
    fakeClock();
    const controller = new AbortController();
    let disposed = 0;
    const c: BenchCase = {
      id: 'c', title: 'c', kind: 'gemm', ops: 1, params: {}, reference: 'a',
      implementations: [{ id: 'a', label: 'a', role: 'peer', setup: () => ({ run: () => {}, dispose: () => void disposed++ }) }],
    };
    const p = runSuite([c], { settings: { warmupMs: 0, rounds: 2, samplesPerRound: 1, minSampleMs: 0 }, signal: controller.signal, onProgress: () => controller.abort() });
    await expect(p).rejects.toThrow();
    expect(disposed).toBe(1);
  });
});
