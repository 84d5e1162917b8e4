import { upgradeRunConfig, type RunConfig } from '../bnn/config';
import type { ParamSnapshot } from '../bnn/model/params';
import type { TrainerPlace } from '../worker/client';
import type { FileReply, FromTrainer } from '../worker/protocol';
import { isActive, runColor, runName, type RunRecord, type StoredRun } from './run-record';

/**
 * The run queue as a pure reducer: every change to the list of runs is an action, and
 * reduceRuns returns the new list (the same array when nothing changed). Runs train one at a
 * time in the order they were queued; nextToStart says which one goes next. No I/O here: the
 * store (runs.ts) sends to the worker and saves to storage around it.
 */

/** What the trainer reports about a run (file replies go elsewhere). */
export type TrainerEvent = Exclude<FromTrainer, FileReply>;

export type QueueAction =
  | { type: 'add'; run: RunRecord }
  /** The start message is on its way (after the teacher's weights were found). */
  | { type: 'starting'; id: string; message: string }
  | { type: 'start-failed'; id: string; message: string }
  | { type: 'trainer'; event: TrainerEvent; place: TrainerPlace }
  | { type: 'saved'; id: string; step: number }
  | { type: 'exported'; id: string; bytes: number }
  | { type: 'stop-queued'; id: string }
  /** Back into the queue from its saved weights (or from the start without any). */
  | { type: 'requeue-interrupted'; id: string; weights: { step: number; snapshot: ParamSnapshot } | null }
  | { type: 'toggle-compare'; id: string }
  | { type: 'set-compare'; ids: readonly string[]; compare: boolean }
  | { type: 'remove'; ids: readonly string[] }
  /** Runs read back from storage go in front of those made since the page opened. */
  | { type: 'restore'; runs: readonly RunRecord[] };

export function reduceRuns(runs: readonly RunRecord[], a: QueueAction): readonly RunRecord[] {
  switch (a.type) {
    case 'add':
      return runs.some((r) => r.id === a.run.id) ? runs : [...runs, a.run];
    case 'starting':
      return patch(runs, a.id, () => ({ state: 'loading', message: a.message, resumeFrom: undefined, startPaused: undefined }));
    case 'start-failed':
      return patch(runs, a.id, () => ({ state: 'failed', message: a.message }));
    case 'trainer':
      return applyTrainerEvent(runs, a.event, a.place);
    case 'saved':
      return patch(runs, a.id, () => ({ savedStep: a.step }));
    case 'exported':
      return patch(runs, a.id, () => ({ exportBytes: a.bytes }));
    case 'stop-queued':
      return patch(runs, a.id, (r) => (r.state === 'queued' ? { state: 'stopped', message: 'removed from the queue' } : null));
    case 'requeue-interrupted':
      return patch(runs, a.id, (r) => {
        if (r.state !== 'interrupted') return null;
        const step = a.weights?.step ?? 0;
        return {
          state: 'queued',
          message: undefined,
          steps: r.steps.filter((p) => p.step <= step),
          evals: r.evals.filter((e) => e.step <= step),
          layerStats: r.layerStats.filter((s) => s.step <= step),
          trainMs: r.steps.filter((p) => p.step <= step).reduce((t, p) => t + p.ms, 0),
          resumeFrom: a.weights ?? undefined,
        };
      });
    case 'toggle-compare':
      return patch(runs, a.id, (r) => ({ compare: !r.compare }));
    case 'set-compare': {
      const ids = new Set(a.ids);
      return runs.some((r) => ids.has(r.id) && r.compare !== a.compare) ? runs.map((r) => (ids.has(r.id) ? { ...r, compare: a.compare } : r)) : runs;
    }
    case 'remove': {
      const ids = new Set(a.ids);
      // A run that holds the trainer is never dropped from the list.
      const kept = runs.filter((r) => !ids.has(r.id) || isActive(r));
      return kept.length === runs.length ? runs : kept;
    }
    case 'restore': {
      const fresh = a.runs.filter((r) => !runs.some((x) => x.id === r.id));
      return fresh.length ? [...fresh, ...runs] : runs;
    }
  }
}

function applyTrainerEvent(runs: readonly RunRecord[], m: TrainerEvent, place: TrainerPlace): readonly RunRecord[] {
  switch (m.type) {
    case 'backend':
      return patch(runs, m.runId, () => ({ backend: m.backend, threads: m.threads, place }));
    case 'status':
      return patch(runs, m.runId, () => ({ state: m.status, message: m.message, loadProgress: m.progress }));
    case 'steps':
      return patch(runs, m.runId, (r) => ({
        steps: r.steps.concat(m.metrics),
        trainMs: r.trainMs + m.metrics.reduce((t, s) => t + s.ms, 0),
        state: r.state === 'loading' ? 'running' : r.state,
        loadProgress: undefined,
      }));
    case 'eval':
      return patch(runs, m.runId, (r) => ({ evals: [...r.evals, m.metrics] }));
    case 'layerStats':
      return patch(runs, m.runId, (r) => ({ layerStats: [...r.layerStats, m.stats] }));
    case 'masks':
      return patch(runs, m.runId, () => ({ masks: { step: m.step, samples: m.samples, labels: m.labels } }));
    case 'checkpoint':
      return patch(runs, m.runId, () => ({ snapshot: m.snapshot }));
    case 'done':
      return patch(runs, m.runId, (r) => ({ state: m.status, message: m.message ?? r.message, snapshot: m.snapshot }));
    case 'error':
      return patch(runs, m.runId, () => ({ state: m.code === 'context-lost' ? 'interrupted' : 'failed', message: m.message }));
  }
}

/** The run that holds the trainer, if any. */
export function activeRun(runs: readonly RunRecord[]): RunRecord | undefined {
  return runs.find(isActive);
}

/** The next queued run to start, or null while one trains or none waits. */
export function nextToStart(runs: readonly RunRecord[]): RunRecord | null {
  if (activeRun(runs)) return null;
  return runs.find((r) => r.state === 'queued') ?? null;
}

export interface NewRunOptions {
  id: string;
  /** The run's number in its name (#n). */
  number: number;
  /** Which colour it gets (runColor). */
  colorIndex: number;
  createdAt: number;
  group?: RunRecord['group'];
  resumeFrom?: RunRecord['resumeFrom'];
  startPaused?: number;
}

/** A queued run of a validated config. */
export function newRun(config: RunConfig, o: NewRunOptions): RunRecord {
  return {
    id: o.id,
    name: runName(config, o.number),
    color: runColor(o.colorIndex),
    config,
    state: 'queued',
    steps: [],
    evals: [],
    layerStats: [],
    trainMs: 0,
    createdAt: o.createdAt,
    compare: true,
    group: o.group,
    resumeFrom: o.resumeFrom,
    startPaused: o.startPaused,
  };
}

/**
 * A run as read back from storage: its config in today's form (upgradeRunConfig), the fields
 * older versions did not write, and a run that was training when the page closed marked
 * interrupted with where a resume would continue from.
 */
export function restoredRun(saved: StoredRun & { savedAt?: number }): RunRecord {
  const { savedAt: _t, ...rest } = saved;
  void _t;
  const config = upgradeRunConfig(rest.config) as RunConfig;
  const r: RunRecord = { ...rest, config, layerStats: rest.layerStats ?? [], compare: rest.compare ?? true };
  if (!isActive(r) && r.state !== 'queued') return r;
  const at = r.savedStep ? `its checkpoint at step ${r.savedStep}` : 'the start (no checkpoint was saved)';
  return { ...r, state: 'interrupted', message: `interrupted when the page closed; resume continues from ${at}` };
}

/** The highest run number (#n) in use, so new runs continue the count. */
export function lastRunNumber(runs: readonly Pick<RunRecord, 'name'>[]): number {
  return runs.reduce((n, r) => Math.max(n, Number(/^#(\d+)/.exec(r.name)?.[1] ?? 0)), 0);
}

function patch(runs: readonly RunRecord[], id: string, f: (r: RunRecord) => Partial<RunRecord> | null): readonly RunRecord[] {
  const i = runs.findIndex((r) => r.id === id);
  if (i < 0) return runs;
  const change = f(runs[i]);
  if (change === null) return runs;
  const next = runs.slice();
  next[i] = { ...runs[i], ...change };
  return next;
}
