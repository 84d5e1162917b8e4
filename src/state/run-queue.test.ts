import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, applyPreset, type RunConfig } from '../bnn/config';
import type { StepMetrics } from '../bnn/train/trainer';
import type { ParamSnapshot } from '../bnn/model/params';
import { activeRun, lastRunNumber, newRun, nextToStart, reduceRuns, restoredRun, type QueueAction, type TrainerEvent } from './run-queue';
import type { RunRecord, StoredRun } from './run-record';

const cfg: RunConfig = { ...DEFAULT_CONFIG, depth: 8, width: 8, steps: 10 };
const snap: ParamSnapshot = { w: { shape: [1], data: new Float32Array([1]) } };

let clock = 0;
function run(id: string, config = cfg): RunRecord {
  return newRun(config, { id, number: Number(id.replace(/\D/g, '')) || 1, colorIndex: 0, createdAt: ++clock });
}

function apply(runs: readonly RunRecord[], ...actions: QueueAction[]): readonly RunRecord[] {
  return actions.reduce(reduceRuns, runs);
}

const ev = (event: TrainerEvent): QueueAction => ({ type: 'trainer', event, place: 'worker' });
const step = (n: number, ms = 10): StepMetrics => ({ step: n, epoch: n / 100, loss: 1 / n, ce: 1 / n, accuracy: 0.5, lr: 1e-3, latentLr: 1e-3, t: 1, k: 1, ms, gradNorm: 1 });
const byId = (runs: readonly RunRecord[], id: string) => runs.find((r) => r.id === id)!;

describe('the run queue', () => {
  it('starts runs one at a time in the order they were queued', () => {
    let runs = apply([], { type: 'add', run: run('r1') }, { type: 'add', run: run('r2') });
    expect(nextToStart(runs)?.id).toBe('r1');
    runs = apply(runs, { type: 'starting', id: 'r1', message: 'starting' });
    expect(activeRun(runs)?.id).toBe('r1');
    // While r1 holds the trainer nothing else starts.
    expect(nextToStart(runs)).toBeNull();
    runs = apply(runs, ev({ type: 'status', runId: 'r1', status: 'running' }), ev({ type: 'done', runId: 'r1', status: 'finished', steps: 10, snapshot: snap }));
    expect(byId(runs, 'r1').state).toBe('finished');
    expect(byId(runs, 'r1').snapshot).toBe(snap);
    expect(nextToStart(runs)?.id).toBe('r2');
  });

  it('adds a run once, whatever how often it is added', () => {
    const r = run('r1');
    const runs = apply([], { type: 'add', run: r }, { type: 'add', run: { ...r, name: 'other' } });
    expect(runs).toHaveLength(1);
    expect(runs[0].name).toBe(r.name);
  });

  it('collects steps, time, evaluations, statistics, masks and the backend of the run they belong to', () => {
    let runs = apply([], { type: 'add', run: run('r1') }, { type: 'add', run: run('r2') }, { type: 'starting', id: 'r1', message: '' });
    runs = apply(
      runs,
      ev({ type: 'backend', runId: 'r1', backend: 'wasm' }),
      ev({ type: 'status', runId: 'r1', status: 'loading', message: 'loading MNIST', progress: 0.5 }),
      ev({ type: 'steps', runId: 'r1', metrics: [step(1, 30), step(2, 20)] }),
      ev({ type: 'steps', runId: 'r1', metrics: [step(3, 10)] }),
      ev({ type: 'eval', runId: 'r1', metrics: { step: 3, testAccuracy: 0.4, testLoss: 1 } }),
      ev({ type: 'layerStats', runId: 'r1', stats: { step: 3, layers: [], histogram: null, latentHistogram: null } }),
      ev({ type: 'masks', runId: 'r1', step: 3, samples: [] }),
    );
    const r1 = byId(runs, 'r1');
    expect(r1.backend).toBe('wasm');
    expect(r1.place).toBe('worker');
    // The first steps end the loading state and its progress bar.
    expect(r1.state).toBe('running');
    expect(r1.loadProgress).toBeUndefined();
    expect(r1.steps.map((s) => s.step)).toEqual([1, 2, 3]);
    expect(r1.trainMs).toBe(60);
    expect(r1.evals).toHaveLength(1);
    expect(r1.layerStats).toHaveLength(1);
    expect(r1.masks?.step).toBe(3);
    expect(byId(runs, 'r2').steps).toEqual([]);
  });

  it('ignores events of runs it does not hold, returning the same list', () => {
    const runs = apply([], { type: 'add', run: run('r1') });
    expect(reduceRuns(runs, ev({ type: 'steps', runId: 'nope', metrics: [step(1)] }))).toBe(runs);
    expect(reduceRuns(runs, { type: 'toggle-compare', id: 'nope' })).toBe(runs);
  });

  it('marks a failed run failed and a lost WebGL context interrupted', () => {
    let runs = apply([], { type: 'add', run: run('r1') }, { type: 'add', run: run('r2') });
    runs = apply(runs, ev({ type: 'error', runId: 'r1', message: 'boom' }), ev({ type: 'error', runId: 'r2', message: 'lost', code: 'context-lost' }));
    expect(byId(runs, 'r1')).toMatchObject({ state: 'failed', message: 'boom' });
    expect(byId(runs, 'r2')).toMatchObject({ state: 'interrupted', message: 'lost' });
  });

  it('stops a queued run without the trainer, and only a queued one', () => {
    let runs = apply([], { type: 'add', run: run('r1') }, { type: 'add', run: run('r2') }, { type: 'starting', id: 'r1', message: '' });
    runs = apply(runs, { type: 'stop-queued', id: 'r2' }, { type: 'stop-queued', id: 'r1' });
    expect(byId(runs, 'r2')).toMatchObject({ state: 'stopped', message: 'removed from the queue' });
    expect(byId(runs, 'r1').state).toBe('loading');
    expect(nextToStart(apply(runs, ev({ type: 'done', runId: 'r1', status: 'stopped', steps: 2, snapshot: snap })))).toBeNull();
  });

  it('requeues an interrupted run from its saved step, dropping what came after it', () => {
    let runs = apply([], { type: 'add', run: run('r1') });
    runs = apply(
      runs,
      ev({ type: 'steps', runId: 'r1', metrics: [1, 2, 3, 4, 5].map((n) => step(n)) }),
      ev({ type: 'eval', runId: 'r1', metrics: { step: 2, testAccuracy: 0.3, testLoss: 1 } }),
      ev({ type: 'eval', runId: 'r1', metrics: { step: 4, testAccuracy: 0.5, testLoss: 1 } }),
      ev({ type: 'error', runId: 'r1', message: 'lost', code: 'context-lost' }),
    );
    const back = byId(apply(runs, { type: 'requeue-interrupted', id: 'r1', weights: { step: 2, snapshot: snap } }), 'r1');
    expect(back.state).toBe('queued');
    expect(back.steps.map((s) => s.step)).toEqual([1, 2]);
    expect(back.evals.map((e) => e.step)).toEqual([2]);
    expect(back.trainMs).toBe(20);
    expect(back.resumeFrom).toEqual({ step: 2, snapshot: snap });
    // Without saved weights it starts over.
    const fresh = byId(apply(runs, { type: 'requeue-interrupted', id: 'r1', weights: null }), 'r1');
    expect(fresh.steps).toEqual([]);
    expect(fresh.resumeFrom).toBeUndefined();
    // Only an interrupted run is requeued.
    const finished = apply([], { type: 'add', run: run('r2') }, ev({ type: 'done', runId: 'r2', status: 'finished', steps: 1, snapshot: snap }));
    expect(reduceRuns(finished, { type: 'requeue-interrupted', id: 'r2', weights: null })).toBe(finished);
  });

  it('clears the paused start and the resume weights once the start is sent', () => {
    const r = newRun(cfg, { id: 'r1', number: 1, colorIndex: 0, createdAt: 0, startPaused: 1, resumeFrom: { step: 3, snapshot: snap } });
    const started = byId(apply([r], { type: 'starting', id: 'r1', message: 'starting' }), 'r1');
    expect(started.startPaused).toBeUndefined();
    expect(started.resumeFrom).toBeUndefined();
    expect(started.state).toBe('loading');
  });

  it('toggles and sets comparison, and never removes the run that trains', () => {
    let runs = apply([], { type: 'add', run: run('r1') }, { type: 'add', run: run('r2') }, { type: 'add', run: run('r3') });
    runs = apply(runs, { type: 'toggle-compare', id: 'r1' });
    expect(runs.map((r) => r.compare)).toEqual([false, true, true]);
    runs = apply(runs, { type: 'set-compare', ids: ['r1', 'r2'], compare: false });
    expect(runs.map((r) => r.compare)).toEqual([false, false, true]);
    expect(reduceRuns(runs, { type: 'set-compare', ids: ['r1'], compare: false })).toBe(runs);
    runs = apply(runs, { type: 'starting', id: 'r3', message: '' }, { type: 'remove', ids: ['r1', 'r3'] });
    expect(runs.map((r) => r.id)).toEqual(['r2', 'r3']);
  });

  it('puts restored runs before the ones made on this page, keeping the newer copy of a run', () => {
    const mine = run('r9');
    const runs = apply([mine], { type: 'restore', runs: [run('r1'), { ...mine, name: 'stale' }] });
    expect(runs.map((r) => r.id)).toEqual(['r1', 'r9']);
    expect(byId(runs, 'r9').name).toBe(mine.name);
  });

  it('counts saved and exported sizes on the run', () => {
    const runs = apply([run('r1')], { type: 'saved', id: 'r1', step: 7 }, { type: 'exported', id: 'r1', bytes: 1234 });
    expect(runs[0]).toMatchObject({ savedStep: 7, exportBytes: 1234 });
  });
});

describe('new and restored runs', () => {
  it('names a run after its preset or techniques and what tells runs apart', () => {
    const r = newRun({ ...applyPreset(cfg, 'irnet'), steps: 300, lr: 0.002, latentLr: 0.005, seed: 4 }, { id: 'x', number: 12, colorIndex: 3, createdAt: 0 });
    expect(r.name).toBe('#12 IR-Net · R8 w8 · MNIST · 300 steps · lr 0.002/0.005 · seed 4');
    const combo = newRun({ ...cfg, weightTransform: 'librapb', activationEstimator: 'ste', weightEstimator: 'ste' }, { id: 'y', number: 2, colorIndex: 0, createdAt: 0 });
    expect(combo.name).toMatch(/^#2 Libra-PB \+ STE \(clipped\) · R8 w8 ·/);
    expect(r).toMatchObject({ state: 'queued', compare: true, steps: [], evals: [], layerStats: [], trainMs: 0 });
  });

  it('reads back a run that was training as interrupted, with where a resume continues', () => {
    const saved = { ...run('r1'), state: 'running', savedStep: 40, savedAt: 5 } as StoredRun & { savedAt: number };
    const r = restoredRun(saved);
    expect(r.state).toBe('interrupted');
    expect(r.message).toContain('checkpoint at step 40');
    expect('savedAt' in r).toBe(false);
    expect(restoredRun({ ...run('r2'), state: 'queued' }).message).toContain('the start (no checkpoint was saved)');
    expect(restoredRun({ ...run('r3'), state: 'finished' }).state).toBe('finished');
  });

  it('upgrades a run saved before the parameter groups and fills fields older versions did not write', () => {
    const { activationEstimator: _a, weightEstimator: _w, ...old } = cfg;
    void _a;
    void _w;
    const saved = { ...run('r1'), state: 'finished', config: { ...old, estimator: 'approxsign' } } as unknown as StoredRun;
    delete (saved as Partial<RunRecord>).layerStats;
    delete (saved as Partial<RunRecord>).compare;
    const r = restoredRun(saved);
    expect(r.config.activationEstimator).toBe('approxsign');
    expect(r.config.weightEstimator).toBe('approxsign');
    expect(r.layerStats).toEqual([]);
    expect(r.compare).toBe(true);
  });

  it('continues the run numbers after the highest one in use', () => {
    expect(lastRunNumber([{ name: '#3 a' }, { name: '#11 b' }, { name: 'imported' }])).toBe(11);
    expect(lastRunNumber([])).toBe(0);
  });
});
