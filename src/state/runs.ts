import { create } from 'zustand';
import { DEFAULT_CONFIG, parseRunConfig, type RunConfig } from '../bnn/config';
import type { ParamSnapshot } from '../bnn/model/params';
import type { EvalMetrics, StepMetrics } from '../bnn/train/trainer';
import type { FromTrainer } from '../worker/protocol';
import { TrainingClient, type TrainerPlace } from '../worker/client';

export type RunState = 'queued' | 'loading' | 'running' | 'paused' | 'stopped' | 'finished' | 'failed';

export interface RunRecord {
  id: string;
  name: string;
  color: string;
  config: RunConfig;
  state: RunState;
  message?: string;
  backend?: string;
  place?: TrainerPlace;
  steps: StepMetrics[];
  evals: EvalMetrics[];
  /** Sum of step times, ms. */
  trainMs: number;
  snapshot?: ParamSnapshot;
}

interface RunsStore {
  runs: RunRecord[];
  draft: RunConfig;
  /** Why the default backend is not WebGL, shown above the controls. */
  backendNotice: string | null;
  formError: string | null;
  setDraft(patch: Partial<RunConfig>): void;
  setBackendDefault(backend: RunConfig['backend'], notice: string | null): void;
  startRun(): string | null;
  pause(id: string): void;
  resume(id: string): void;
  stop(id: string): void;
}

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];
const ACTIVE: readonly RunState[] = ['loading', 'running', 'paused'];

let client: TrainingClient | null = null;
let counter = 0;

export const useRuns = create<RunsStore>((set, get) => {
  const patchRun = (id: string, f: (r: RunRecord) => Partial<RunRecord>): void =>
    set((s) => ({ runs: s.runs.map((r) => (r.id === id ? { ...r, ...f(r) } : r)) }));

  const startNextQueued = (): void => {
    if (get().runs.some((r) => ACTIVE.includes(r.state))) return;
    const next = get().runs.find((r) => r.state === 'queued');
    if (!next) return;
    patchRun(next.id, () => ({ state: 'loading', message: 'starting' }));
    trainingClient().send({ type: 'start', runId: next.id, config: next.config });
  };

  const onMessage = (m: FromTrainer, place: TrainerPlace): void => {
    switch (m.type) {
      case 'backend':
        patchRun(m.runId, () => ({ backend: m.backend, place }));
        break;
      case 'status':
        patchRun(m.runId, () => ({ state: m.status, message: m.message }));
        break;
      case 'steps':
        patchRun(m.runId, (r) => ({
          steps: r.steps.concat(m.metrics),
          trainMs: r.trainMs + m.metrics.reduce((a, s) => a + s.ms, 0),
          state: r.state === 'loading' ? 'running' : r.state,
        }));
        break;
      case 'eval':
        patchRun(m.runId, (r) => ({ evals: [...r.evals, m.metrics] }));
        break;
      case 'checkpoint':
        patchRun(m.runId, () => ({ snapshot: m.snapshot }));
        break;
      case 'done':
        patchRun(m.runId, (r) => ({ state: m.status, message: m.message ?? r.message, snapshot: m.snapshot }));
        startNextQueued();
        break;
      case 'error':
        patchRun(m.runId, () => ({ state: 'failed', message: m.message }));
        startNextQueued();
        break;
    }
  };

  const trainingClient = (): TrainingClient => {
    client ??= new TrainingClient(onMessage);
    return client;
  };

  return {
    runs: [],
    draft: { ...DEFAULT_CONFIG },
    backendNotice: null,
    formError: null,
    setDraft: (patch) => set((s) => ({ draft: { ...s.draft, ...patch }, formError: null })),
    setBackendDefault: (backend, notice) => set((s) => ({ draft: { ...s.draft, backend }, backendNotice: notice })),
    startRun: () => {
      const parsed = parseRunConfig(get().draft);
      if (!parsed.ok) {
        set({ formError: parsed.error });
        return null;
      }
      const id = `run-${Date.now().toString(36)}-${++counter}`;
      const n = get().runs.length;
      const record: RunRecord = {
        id,
        name: `#${n + 1} ${describe(parsed.config)}`,
        color: PALETTE[n % PALETTE.length],
        config: parsed.config,
        state: 'queued',
        steps: [],
        evals: [],
        trainMs: 0,
      };
      set((s) => ({ runs: [...s.runs, record], formError: null }));
      startNextQueued();
      return id;
    },
    pause: (id) => trainingClient().send({ type: 'pause', runId: id }),
    resume: (id) => trainingClient().send({ type: 'resume', runId: id }),
    stop: (id) => {
      const r = get().runs.find((x) => x.id === id);
      if (r?.state === 'queued') patchRun(id, () => ({ state: 'stopped', message: 'removed from the queue' }));
      else trainingClient().send({ type: 'stop', runId: id });
    },
  };
});

/** A short label of what a config switches on, e.g. "IR-Net R8 w16". */
export function describe(c: RunConfig): string {
  const arch = `R${c.depth} w${c.width}`;
  if (c.precision === 'full') return `FP ${arch}`;
  const parts = [c.weightTransform === 'none' ? 'sign' : c.weightTransform, c.estimator];
  return `${parts.join('+')} ${arch}`;
}

/** Steps per second over the recent steps, and the remaining time in seconds. */
export function progressOf(r: RunRecord): { done: number; total: number; etaSeconds: number | null } {
  const done = r.steps.length ? r.steps[r.steps.length - 1].step : 0;
  const total = r.config.steps;
  const recent = r.steps.slice(-20);
  const msPerStep = recent.length ? recent.reduce((a, s) => a + s.ms, 0) / recent.length : 0;
  return { done, total, etaSeconds: msPerStep > 0 ? ((total - done) * msPerStep) / 1000 : null };
}
