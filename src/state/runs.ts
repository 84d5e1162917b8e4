import { create } from 'zustand';
import { DEFAULT_CONFIG, PRESETS, matchPreset, needsTeacher, parseRunConfig, upgradeRunConfig, type RunConfig } from '../bnn/config';
import { planGrid } from '../bnn/train/ablation';
import type { ParamSnapshot } from '../bnn/model/params';
import type { EvalMetrics, StepMetrics } from '../bnn/train/trainer';
import type { FileReply, FileRequest, FromTrainer, WeightsPayload } from '../worker/protocol';
import type { LayerStats } from '../bnn/train/layer-stats';
import type { AttentionSample } from '../bnn/train/restriction';
import { TrainingClient, type TrainerPlace } from '../worker/client';
import { RunStorage, StorageError, storageEstimate } from '../io/persistence';
import { checkTeacherCompatible } from '../bnn/train/distillation';

export type RunState = 'queued' | 'loading' | 'running' | 'paused' | 'stopped' | 'finished' | 'failed' | 'interrupted';

export interface RunRecord {
  id: string;
  name: string;
  color: string;
  config: RunConfig;
  state: RunState;
  message?: string;
  /** While a dataset downloads: the share received, for a progress bar. */
  loadProgress?: number;
  backend?: string;
  /** The wasm backend's thread count (1 without cross-origin isolation). */
  threads?: number;
  place?: TrainerPlace;
  steps: StepMetrics[];
  evals: EvalMetrics[];
  /** Sum of step times, ms. */
  trainMs: number;
  createdAt: number;
  /** Step of the weights saved in storage (last checkpoint or final). */
  savedStep?: number;
  /** Latest weights, in memory (final, or last checkpoint while training). */
  snapshot?: ParamSnapshot;
  /** Per binary layer statistics over time (entropy, flips, gradient norms, histogram). */
  layerStats: LayerStats[];
  /** Latest attention masks of a restriction run. */
  masks?: { step: number; samples: AttentionSample[] };
  /** Drawn in the comparison charts. */
  compare: boolean;
  /** Runs queued together by "Run the IR-Net ablation". */
  group?: { id: string; label: string };
  /** A run loaded from a .safetensors file rather than trained here. */
  imported?: { fileName: string; hasLatent: boolean; fileAccuracy: number | null; bytes: Uint8Array };
  /** Size of the last export of this run, bytes. */
  exportBytes?: number;
  /** Set while an interrupted run waits in the queue to resume. */
  resumeFrom?: { step: number; snapshot: ParamSnapshot };
}

/** What is written to storage: everything but the weights, which are stored apart. */
type StoredRun = Omit<RunRecord, 'snapshot' | 'resumeFrom'>;

interface RunsStore {
  runs: RunRecord[];
  draft: RunConfig;
  /** Why the default backend is not WebGL, shown above the controls. */
  backendNotice: string | null;
  formError: string | null;
  /** Last storage failure (e.g. quota), shown until the next successful save. */
  storageError: string | null;
  storageUsage: { usage: number; quota: number } | null;
  hydrated: boolean;
  hydrate(): Promise<void>;
  deleteRun(id: string): Promise<void>;
  resumeInterrupted(id: string): Promise<void>;
  setDraft(patch: Partial<RunConfig>): void;
  setBackendDefault(backend: RunConfig['backend'], notice: string | null): void;
  /** Problems found in a shared link's configuration. */
  hashNotice: string | null;
  setHashNotice(notice: string | null): void;
  startRun(): string | null;
  /** Queue the IR-Net 2×2 grid {none, Libra-PB} × {STE, EDE} (plus FP) on the current settings. */
  queueAblation(includeFp: boolean): void;
  toggleCompare(id: string): void;
  /** Copy a run's configuration into the controls, to change it and train again. */
  duplicate(id: string): void;
  /** The run's model as a .safetensors file (packed bits + metadata). */
  exportRun(id: string, includeLatent: boolean): Promise<Uint8Array | null>;
  /** Validate a model file, measure it on its dataset and add it as a run; nothing changes on error. */
  importFile(fileName: string, bytes: Uint8Array): Promise<string | null>;
  /** Train further from an imported run's latent weights. */
  continueTraining(id: string): void;
  uploadCifar10(files: { name: string; bytes: Uint8Array }[]): Promise<void>;
  /** The last problem with a file the user gave (import, upload, export). */
  fileError: string | null;
  cifar10: { train: number; test: number } | null;
  pause(id: string): void;
  resume(id: string): void;
  stop(id: string): void;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;


const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];
const ACTIVE: readonly RunState[] = ['loading', 'running', 'paused'];

let client: TrainingClient | null = null;
let counter = 0;
let storage: Promise<RunStorage<StoredRun>> | null = null;
let requestCounter = 0;
const pendingRequests = new Map<string, (reply: FileReply) => void>();
const lastSaved = new Map<string, number>();
/** Metric histories are saved at most this often while a run trains (checkpoints save at once). */
const SAVE_EVERY_MS = 5_000;

function openStorage(): Promise<RunStorage<StoredRun>> {
  storage ??= RunStorage.open<StoredRun>();
  return storage;
}

function stored(r: RunRecord): StoredRun {
  const { snapshot: _w, resumeFrom: _r, ...rest } = r;
  void _w;
  void _r;
  return rest;
}

export const useRuns = create<RunsStore>((set, get) => {
  const patchRun = (id: string, f: (r: RunRecord) => Partial<RunRecord>): void =>
    set((s) => ({ runs: s.runs.map((r) => (r.id === id ? { ...r, ...f(r) } : r)) }));

  const findRun = (id: string): RunRecord | undefined => get().runs.find((r) => r.id === id);

  /** Saves a run's record (and weights when given); failures surface as storageError, nothing else changes. */
  const persist = async (id: string, weights?: { step: number; final: boolean; snapshot: ParamSnapshot }): Promise<void> => {
    const run = findRun(id);
    if (!run) return;
    try {
      const db = await openStorage();
      if (weights) {
        await db.saveWeights({ runId: id, ...weights });
        patchRun(id, () => ({ savedStep: weights.step }));
      }
      await db.saveRun(stored(findRun(id) ?? run), Date.now());
      lastSaved.set(id, Date.now());
      set({ storageError: null, storageUsage: await storageEstimate() });
    } catch (e) {
      set({ storageError: e instanceof StorageError ? e.message : `Could not save run: ${String(e)}` });
    }
  };

  /** Adds a queued run for a validated config; returns its id. */
  const enqueue = (config: RunConfig, group?: RunRecord['group']): string => {
    const id = `run-${Date.now().toString(36)}-${++counter}`;
    const n = get().runs.length;
    const record: RunRecord = {
      id,
      name: `#${counter} ${describe(config)}`,
      color: PALETTE[n % PALETTE.length],
      config,
      state: 'queued',
      steps: [],
      evals: [],
      layerStats: [],
      trainMs: 0,
      createdAt: Date.now(),
      compare: true,
      group,
    };
    set((s) => ({ runs: [...s.runs, record] }));
    void persist(id);
    return id;
  };

  const startNextQueued = (): void => {
    if (get().runs.some((r) => ACTIVE.includes(r.state))) return;
    const next = get().runs.find((r) => r.state === 'queued');
    if (!next) return;
    patchRun(next.id, () => ({ state: 'loading', message: needsTeacher(next.config) ? 'loading the teacher' : 'starting', resumeFrom: undefined }));
    void teacherFor(next.config).then(
      (teacher) => trainingClient().send({ type: 'start', runId: next.id, config: next.config, resume: next.resumeFrom, teacher }),
      (e: unknown) => {
        patchRun(next.id, () => ({ state: 'failed', message: e instanceof Error ? e.message : String(e) }));
        startNextQueued();
      },
    );
  };

  /** The distillation teacher's weights, from memory or storage. */
  const teacherFor = async (config: RunConfig): Promise<WeightsPayload | undefined> => {
    if (!needsTeacher(config)) return undefined;
    const t = config.teacherRunId ? findRun(config.teacherRunId) : undefined;
    if (!t) throw new Error('the teacher run no longer exists: pick another finished full-precision run');
    const snapshot = t.snapshot ?? (await (await openStorage()).loadWeights(t.id))?.snapshot;
    if (!snapshot) throw new Error(`the teacher run ${t.name} has no saved weights`);
    return { config: t.config, snapshot };
  };

  /** Sends a file request to the worker and waits for its reply. */
  const request = (msg: DistributiveOmit<FileRequest, 'requestId'>): Promise<FileReply> =>
    new Promise((resolve) => {
      const requestId = `req-${++requestCounter}`;
      pendingRequests.set(requestId, resolve);
      trainingClient().send({ ...msg, requestId } as FileRequest);
    });

  const onMessage = (m: FromTrainer, place: TrainerPlace): void => {
    if ('requestId' in m) {
      pendingRequests.get(m.requestId)?.(m);
      pendingRequests.delete(m.requestId);
      return;
    }
    switch (m.type) {
      case 'backend':
        patchRun(m.runId, () => ({ backend: m.backend, threads: m.threads, place }));
        break;
      case 'status':
        patchRun(m.runId, () => ({ state: m.status, message: m.message, loadProgress: m.progress }));
        break;
      case 'steps':
        patchRun(m.runId, (r) => ({
          steps: r.steps.concat(m.metrics),
          trainMs: r.trainMs + m.metrics.reduce((a, s) => a + s.ms, 0),
          state: r.state === 'loading' ? 'running' : r.state,
        }));
        if (Date.now() - (lastSaved.get(m.runId) ?? 0) > SAVE_EVERY_MS) void persist(m.runId);
        break;
      case 'eval':
        patchRun(m.runId, (r) => ({ evals: [...r.evals, m.metrics] }));
        break;
      case 'layerStats':
        patchRun(m.runId, (r) => ({ layerStats: [...r.layerStats, m.stats] }));
        break;
      case 'masks':
        patchRun(m.runId, () => ({ masks: { step: m.step, samples: m.samples } }));
        break;
      case 'checkpoint':
        patchRun(m.runId, () => ({ snapshot: m.snapshot }));
        void persist(m.runId, { step: m.step, final: false, snapshot: m.snapshot });
        break;
      case 'done':
        patchRun(m.runId, (r) => ({ state: m.status, message: m.message ?? r.message, snapshot: m.snapshot }));
        void persist(m.runId, { step: m.steps, final: true, snapshot: m.snapshot });
        startNextQueued();
        break;
      case 'error':
        patchRun(m.runId, () => ({ state: m.code === 'context-lost' ? 'interrupted' : 'failed', message: m.message }));
        void persist(m.runId);
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
    hashNotice: null,
    setHashNotice: (hashNotice) => set({ hashNotice }),
    formError: null,
    storageError: null,
    storageUsage: null,
    hydrated: false,
    hydrate: async () => {
      if (get().hydrated) return;
      try {
        const db = await openStorage();
        const saved = await db.listRuns();
        const restored: RunRecord[] = saved.map(({ savedAt: _t, ...saved }) => {
          void _t;
          // Runs saved before the recipe's parameter groups carry the old config form.
          const config = upgradeRunConfig(saved.config) as RunConfig;
          const r: RunRecord = { ...saved, config, layerStats: saved.layerStats ?? [], compare: saved.compare ?? true };
          if (!['queued', 'loading', 'running', 'paused'].includes(r.state)) return r;
          const at = r.savedStep ? `its checkpoint at step ${r.savedStep}` : 'the start (no checkpoint was saved)';
          return { ...r, state: 'interrupted', message: `interrupted when the page closed; resume continues from ${at}` };
        });
        counter = restored.length;
        set((s) => ({ runs: [...restored, ...s.runs.filter((x) => !restored.some((r) => r.id === x.id))], hydrated: true, storageUsage: null }));
        set({ storageUsage: await storageEstimate() });
      } catch (e) {
        set({ hydrated: true, storageError: `Saved runs could not be read: ${e instanceof Error ? e.message : String(e)}` });
      }
    },
    deleteRun: async (id) => {
      const r = findRun(id);
      if (!r || ['loading', 'running', 'paused'].includes(r.state)) return;
      try {
        await (await openStorage()).deleteRun(id);
        set((s) => ({ runs: s.runs.filter((x) => x.id !== id), storageError: null }));
        set({ storageUsage: await storageEstimate() });
      } catch (e) {
        set({ storageError: `Could not delete the run: ${e instanceof Error ? e.message : String(e)}` });
      }
    },
    resumeInterrupted: async (id) => {
      const r = findRun(id);
      if (!r || r.state !== 'interrupted') return;
      const weights = r.savedStep ? await (await openStorage()).loadWeights(id) : undefined;
      const step = weights?.step ?? 0;
      patchRun(id, (x) => ({
        state: 'queued',
        message: undefined,
        steps: x.steps.filter((p) => p.step <= step),
        evals: x.evals.filter((e) => e.step <= step),
        resumeFrom: weights ? { step, snapshot: weights.snapshot } : undefined,
      }));
      startNextQueued();
    },
    setDraft: (patch) => set((s) => ({ draft: { ...s.draft, ...patch }, formError: null })),
    setBackendDefault: (backend, notice) => set((s) => ({ draft: { ...s.draft, backend }, backendNotice: notice })),
    startRun: () => {
      const parsed = parseRunConfig(get().draft);
      if (!parsed.ok) {
        set({ formError: parsed.error });
        return null;
      }
      if (needsTeacher(parsed.config)) {
        const teacher = parsed.config.teacherRunId ? findRun(parsed.config.teacherRunId) : undefined;
        const why = !teacher
          ? 'RBD distillation needs a teacher: pick a finished full-precision run of the same architecture (or switch RBD off).'
          : checkTeacherCompatible(parsed.config, teacher.config);
        if (why) {
          set({ formError: why });
          return null;
        }
      }
      const id = enqueue(parsed.config);
      set({ formError: null });
      startNextQueued();
      return id;
    },
    queueAblation: (includeFp) => {
      const base = parseRunConfig({ ...get().draft, restriction: false, recovery: 'off', distill: false, teacherRunId: null });
      if (!base.ok) {
        set({ formError: base.error });
        return;
      }
      const group = { id: `ablation-${Date.now().toString(36)}`, label: `IR-Net ablation (${describe(base.config).split(' ').slice(1).join(' ')}, seed ${base.config.seed})` };
      const grid = planGrid('irnet', base.config, 1, base.config.seed).filter((p) => includeFp || p.row.id !== 'fp');
      for (const p of grid) enqueue(p.config, group);
      set({ formError: null });
      startNextQueued();
    },
    toggleCompare: (id) => patchRun(id, (r) => ({ compare: !r.compare })),
    fileError: null,
    cifar10: null,
    exportRun: async (id, includeLatent) => {
      const r = findRun(id);
      if (!r) return null;
      if (r.imported && !r.imported.hasLatent) return r.imported.bytes;
      const snapshot = r.snapshot ?? (await (await openStorage()).loadWeights(id))?.snapshot;
      if (!snapshot) {
        set({ fileError: `${r.name} has no saved weights to export` });
        return null;
      }
      const last = r.evals[r.evals.length - 1];
      const reply = await request({ type: 'export', config: r.config, snapshot, testAccuracy: last ? last.testAccuracy : null, includeLatent });
      if (reply.type !== 'exported') {
        set({ fileError: reply.type === 'request-failed' ? `Export failed: ${reply.message}` : 'Export failed' });
        return null;
      }
      patchRun(id, () => ({ exportBytes: reply.bytes.length }));
      set({ fileError: null });
      return reply.bytes;
    },
    importFile: async (fileName, bytes) => {
      const reply = await request({ type: 'import', fileName, bytes });
      if (reply.type !== 'imported') {
        set({ fileError: reply.type === 'request-failed' ? `${fileName}: ${reply.message}` : `${fileName}: import failed` });
        return null;
      }
      const id = `import-${Date.now().toString(36)}-${++counter}`;
      const record: RunRecord = {
        id,
        name: `#${counter} imported ${fileName}`,
        color: PALETTE[get().runs.length % PALETTE.length],
        config: reply.config,
        state: 'finished',
        message: `imported; test accuracy measured here ${(100 * reply.measuredAccuracy).toFixed(2)}%${
          reply.fileAccuracy !== null ? `, stored in the file ${(100 * reply.fileAccuracy).toFixed(2)}%` : ''
        }`,
        steps: [],
        evals: [{ step: reply.config.steps, testAccuracy: reply.measuredAccuracy, testLoss: NaN }],
        layerStats: [],
        trainMs: 0,
        createdAt: Date.now(),
        compare: true,
        snapshot: reply.snapshot,
        imported: { fileName, hasLatent: reply.hasLatent, fileAccuracy: reply.fileAccuracy, bytes },
      };
      set((s) => ({ runs: [...s.runs, record], fileError: null }));
      void persist(id, { step: reply.config.steps, final: true, snapshot: reply.snapshot });
      return id;
    },
    continueTraining: (id) => {
      const r = findRun(id);
      if (!r?.snapshot || (r.imported && !r.imported.hasLatent)) return;
      const newId = enqueue(r.config);
      patchRun(newId, () => ({ resumeFrom: { step: 0, snapshot: r.snapshot! } }));
      startNextQueued();
    },
    uploadCifar10: async (files) => {
      const reply = await request({ type: 'cifar10', files });
      if (reply.type !== 'cifar10-loaded') {
        set({ fileError: reply.type === 'request-failed' ? reply.message : 'CIFAR-10 upload failed' });
        return;
      }
      set({ cifar10: { train: reply.train, test: reply.test }, fileError: null });
    },
    duplicate: (id) => {
      const r = findRun(id);
      if (r) set({ draft: { ...r.config }, formError: null });
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
  const preset = matchPreset(c);
  if (preset) return `${PRESETS[preset].label} ${arch}`;
  const est = c.activationEstimator === c.weightEstimator ? c.activationEstimator : `${c.activationEstimator}/${c.weightEstimator}`;
  const parts = [c.weightTransform === 'none' ? 'sign' : c.weightTransform, est];
  if (c.restriction) parts.push('restrict');
  if (c.recovery !== 'off') parts.push(`recovery-${c.recovery}`);
  if (c.distill) parts.push('RBD');
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
