import { create } from 'zustand';
import { DEFAULT_CONFIG, needsTeacher, parseRunConfig, type RunConfig } from '../bnn/config';
import { planGrid } from '../bnn/train/ablation';
import { checkTeacherCompatible } from '../bnn/train/teacher-compatible';
import type { WeightsPayload } from '../worker/protocol';
import { RunArchive } from './run-archive';
import { activeRun, lastRunNumber, newRun, nextToStart, reduceRuns, restoredRun } from './run-queue';
import { datasetShortName, freeColorIndex, isActive } from './run-record';
import { exampleActions } from './run-store-examples';
import { fileActions } from './run-store-files';
import { errorText, type RunsStore, type StoreContext } from './run-store-types';
import { estimateDuration, loadStepTimes, saveStepTimes, shapeKey, typicalStepMs } from './step-time';
import { TrainerBridge } from './trainer-bridge';

export { progressOf, formatSeconds, isActive, type RunRecord, type RunState } from './run-record';
export { examplesWanted } from './run-store-examples';
export type { RunsStore } from './run-store-types';

/**
 * The app's runs and the next run's configuration. The list changes only through the pure
 * reducer of run-queue.ts; this store wires it to the training worker (trainer-bridge.ts),
 * to IndexedDB (run-archive.ts), to model files (run-store-files.ts) and to the example
 * gallery (run-store-examples.ts), and keeps the measured step times (step-time.ts).
 */

const MEASURED_STEPS = 3;

export const useRuns = create<RunsStore>((set, get) => {
  let counter = 0;
  let hydrating: Promise<void> | null = null;
  const archive = new RunArchive();
  const find = (id: string) => get().runs.find((r) => r.id === id);

  const ctx: StoreContext = {
    get,
    set,
    find,
    archive,
    baseUrl: import.meta.env?.BASE_URL ?? '/',
    nextNumber: () => ++counter,
    dispatch: (a) =>
      set((s) => {
        const runs = reduceRuns(s.runs, a);
        return runs === s.runs ? s : { runs };
      }),
    save: async (id, weights) => {
      const run = find(id);
      if (!run || run.example) return;
      try {
        await archive.save(weights ? { ...run, savedStep: weights.step } : run, weights);
        if (weights) ctx.dispatch({ type: 'saved', id, step: weights.step });
        set({ storageError: null, storageUsage: await archive.usage() });
      } catch (e) {
        set({ storageError: errorText(e) });
      }
    },
    enqueue: (config, extra = {}) => {
      const number = ctx.nextNumber();
      const id = `run-${Date.now().toString(36)}-${number}`;
      ctx.dispatch({ type: 'add', run: newRun(config, { id, number, colorIndex: freeColorIndex(get().runs), createdAt: Date.now(), ...extra }) });
      void ctx.save(id);
      return id;
    },
    startNext: () => {
      if (get().measuring) return;
      const next = nextToStart(get().runs);
      if (!next) return;
      const { resumeFrom: resume, startPaused } = next;
      ctx.dispatch({ type: 'starting', id: next.id, message: needsTeacher(next.config) ? 'loading the teacher' : 'starting' });
      teacherFor(next.config).then(
        (teacher) => ctx.bridge.send({ type: 'start', runId: next.id, config: next.config, resume, teacher, paused: startPaused ? { steps: startPaused } : undefined }),
        (e: unknown) => {
          ctx.dispatch({ type: 'start-failed', id: next.id, message: errorText(e) });
          ctx.startNext();
        },
      );
    },
    bridge: new TrainerBridge((event, place) => {
      ctx.dispatch({ type: 'trainer', event, place });
      if (event.type === 'steps' && archive.due(event.runId)) void ctx.save(event.runId);
      if (event.type === 'checkpoint') void ctx.save(event.runId, { step: event.step, final: false, snapshot: event.snapshot });
      if (event.type === 'done') {
        rememberStepTime(event.runId);
        void ctx.save(event.runId, { step: event.steps, final: true, snapshot: event.snapshot });
      }
      if (event.type === 'error') void ctx.save(event.runId);
      if (event.type === 'done' || event.type === 'error') ctx.startNext();
    }),
  };
  const examples = exampleActions(ctx);

  /** A finished run's typical step time becomes the estimate for its shape. */
  const rememberStepTime = (id: string): void => {
    const r = find(id);
    const ms = r ? typicalStepMs(r.steps) : null;
    if (!r || ms === null) return;
    const stepTimes = { ...get().stepTimes, [shapeKey(r.config)]: { msPerStep: ms, from: r.name, at: Date.now() } };
    saveStepTimes(stepTimes);
    set({ stepTimes });
  };

  /** The distillation teacher's weights: in memory, an example's model file, or storage. */
  const teacherFor = async (config: RunConfig): Promise<WeightsPayload | undefined> => {
    if (!needsTeacher(config)) return undefined;
    const t = config.teacherRunId ? find(config.teacherRunId) : undefined;
    if (!t) {
      throw new Error(
        config.teacherRunId?.startsWith('example-')
          ? 'the teacher is an example run: show the examples, then start again'
          : 'the teacher run no longer exists: pick another finished full-precision run',
      );
    }
    const snapshot = t.snapshot ?? (t.example ? await examples.teacherWeights(t) : (await archive.loadWeights(t.id))?.snapshot);
    if (!snapshot) throw new Error(`the teacher run ${t.name} has no saved weights`);
    return { config: t.config, snapshot };
  };

  return {
    runs: [],
    draft: { ...DEFAULT_CONFIG },
    backendNotice: null,
    hashNotice: null,
    formError: null,
    configNotice: null,
    storageError: null,
    storageUsage: null,
    hydrated: false,
    fileError: null,
    cifar10: null,
    examples: { status: 'hidden', error: null, totalBytes: null },
    stepTimes: loadStepTimes(),
    measuring: false,
    measureError: null,
    ...fileActions(ctx),
    showExamples: examples.showExamples,
    // Once per page, however often it is called (StrictMode mounts twice in development).
    hydrate: () =>
      (hydrating ??= (async () => {
        try {
          const restored = (await archive.list()).map(restoredRun);
          counter = Math.max(counter, lastRunNumber(restored));
          ctx.dispatch({ type: 'restore', runs: restored });
          set({ hydrated: true, storageUsage: await archive.usage() });
        } catch (e) {
          set({ hydrated: true, storageError: `Saved runs could not be read: ${errorText(e)}` });
        }
      })()),
    setDraft: (patch) => set((s) => ({ draft: { ...s.draft, ...patch }, formError: null, configNotice: null })),
    setBackendDefault: (backend, notice) => set((s) => ({ draft: { ...s.draft, backend }, backendNotice: notice })),
    setHashNotice: (hashNotice) => set({ hashNotice }),
    startRun: (opts = {}) => {
      const parsed = parseRunConfig(get().draft);
      if (!parsed.ok) {
        set({ formError: parsed.error });
        return null;
      }
      if (needsTeacher(parsed.config)) {
        const teacher = parsed.config.teacherRunId ? find(parsed.config.teacherRunId) : undefined;
        const why = !teacher
          ? 'Distillation needs a teacher: pick a finished full-precision run of the same architecture (or switch RBD and KD off).'
          : checkTeacherCompatible(parsed.config, teacher.config);
        if (why) {
          set({ formError: why });
          return null;
        }
      }
      const id = ctx.enqueue(parsed.config, { startPaused: opts.paused ? 1 : undefined });
      set({ formError: null });
      ctx.startNext();
      return id;
    },
    stepActive: () => {
      const active = activeRun(get().runs);
      if (!active) get().startRun({ paused: true });
      else if (active.state === 'paused') ctx.bridge.send({ type: 'step', runId: active.id });
    },
    pause: (id) => ctx.bridge.send({ type: 'pause', runId: id }),
    resume: (id) => ctx.bridge.send({ type: 'resume', runId: id }),
    stop: (id) => {
      if (find(id)?.state === 'queued') ctx.dispatch({ type: 'stop-queued', id });
      else ctx.bridge.send({ type: 'stop', runId: id });
    },
    queueAblation: (includeFp, seeds) => {
      // The grid varies the quantizers; the modules and teachers of the draft are switched off.
      const base = parseRunConfig({ ...get().draft, restriction: false, recovery: 'off', rsign: false, blockActivation: 'hardtanh', distill: false, kd: false, teacherRunId: null });
      if (!base.ok) {
        set({ formError: base.error });
        return;
      }
      const c = base.config;
      const seedText = seeds > 1 ? `seeds ${c.seed}–${c.seed + seeds - 1}` : `seed ${c.seed}`;
      const group = { id: `ablation-${Date.now().toString(36)}`, label: `IR-Net ablation · R${c.depth} w${c.width} · ${datasetShortName(c)} · ${c.steps} steps · ${seedText}` };
      for (const p of planGrid('irnet', c, seeds, c.seed)) {
        if (includeFp || p.row.id !== 'fp') ctx.enqueue(p.config, { group: { ...group, row: p.row.id, seed: p.seed } });
      }
      set({ formError: null });
      ctx.startNext();
    },
    toggleCompare: (id) => ctx.dispatch({ type: 'toggle-compare', id }),
    setCompare: (ids, compare) => ctx.dispatch({ type: 'set-compare', ids, compare }),
    duplicate: (id) => {
      const r = find(id);
      if (!r) return;
      // An example was trained in Node; the copy keeps this browser's backend.
      const draft = { ...r.config, backend: r.example ? get().draft.backend : r.config.backend };
      set({ draft, formError: null, configNotice: `The settings of ${r.name} are in the controls: change what you like and press Train.` });
    },
    deleteRun: async (id) => {
      const r = find(id);
      if (!r || r.example || isActive(r)) return;
      try {
        await archive.delete(id);
        ctx.dispatch({ type: 'remove', ids: [id] });
        set({ storageError: null, storageUsage: await archive.usage() });
      } catch (e) {
        set({ storageError: `Could not delete the run: ${errorText(e)}` });
      }
    },
    resumeInterrupted: async (id) => {
      if (find(id)?.state !== 'interrupted') return;
      const weights = find(id)?.savedStep ? await archive.loadWeights(id) : undefined;
      ctx.dispatch({ type: 'requeue-interrupted', id, weights: weights ? { step: weights.step, snapshot: weights.snapshot } : null });
      ctx.startNext();
    },
    measureStepTime: async () => {
      if (get().measuring || activeRun(get().runs)) return;
      const parsed = parseRunConfig(get().draft);
      if (!parsed.ok) {
        set({ measureError: parsed.error });
        return;
      }
      set({ measuring: true, measureError: null });
      const reply = await ctx.bridge.request({ type: 'measure-step', config: parsed.config, steps: MEASURED_STEPS });
      if (reply.type === 'step-measured') {
        const stepTimes = { ...get().stepTimes, [shapeKey(parsed.config)]: { msPerStep: reply.msPerStep, from: `a ${reply.steps}-step measurement`, at: Date.now() } };
        saveStepTimes(stepTimes);
        set({ stepTimes, measuring: false });
      } else {
        set({ measuring: false, measureError: reply.type === 'request-failed' ? reply.message : 'the measurement failed' });
      }
      ctx.startNext();
    },
  };
});

/** The duration of the draft at the step time measured for its shape on this device, or null. */
export function draftEstimate(s: Pick<RunsStore, 'draft' | 'stepTimes'>) {
  return estimateDuration(s.draft, s.stepTimes);
}
