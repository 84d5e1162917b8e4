import { PRESETS, matchPreset, type RunConfig } from '../bnn/config';
import type { ParamSnapshot } from '../bnn/model/params';
import type { LayerStats } from '../bnn/train/layer-stats';
import type { AttentionSample } from '../bnn/train/restriction';
import type { EvalMetrics, StepMetrics } from '../bnn/train/trainer';
import { techniqueLabel } from '../bnn/technique-label';
import { DATASETS } from '../data/catalog';
import type { TrainerPlace } from '../worker/client';

/** A run's record as the store keeps it, and the pure helpers that describe one. */

export type RunState = 'queued' | 'loading' | 'running' | 'paused' | 'stopped' | 'finished' | 'failed' | 'interrupted';

/** States in which a run holds the trainer (at most one run at a time). */
export const ACTIVE_STATES: readonly RunState[] = ['loading', 'running', 'paused'];

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
  masks?: { step: number; samples: AttentionSample[]; labels?: string[] };
  /** Drawn in the comparison charts. */
  compare: boolean;
  /** Runs queued together by "Run the IR-Net ablation": the grid row and seed of this one. */
  group?: { id: string; label: string; row?: string; seed?: number };
  /** A run loaded from a .safetensors file rather than trained here. */
  imported?: { fileName: string; hasLatent: boolean; fileAccuracy: number | null; bytes: Uint8Array };
  /** A problem found while importing (e.g. the accuracy here differs from the file's). */
  importWarning?: string;
  /** A finished example of the gallery (public/examples): read-only, never saved in this browser. */
  example?: { id: string; group: string; groupLabel: string; command: string; commit: string; modelFile: string };
  /** Size of the last export of this run, bytes. */
  exportBytes?: number;
  /** Set while an interrupted run waits in the queue to resume. */
  resumeFrom?: { step: number; snapshot: ParamSnapshot };
  /** Start paused and train only this many batches (the Step button); cleared once sent. */
  startPaused?: number;
}

/** What is written to storage: everything but the weights, which are stored apart, and what is only for this page. */
export type StoredRun = Omit<RunRecord, 'snapshot' | 'resumeFrom' | 'startPaused'>;

export function storedForm(r: RunRecord): StoredRun {
  const { snapshot: _w, resumeFrom: _r, startPaused: _p, ...rest } = r;
  void _w;
  void _r;
  void _p;
  return rest;
}

export function isActive(r: Pick<RunRecord, 'state'>): boolean {
  return ACTIVE_STATES.includes(r.state);
}

/** The preset's label when the toggles are a preset's, else the techniques in the registries' labels. */
export function runTitle(c: RunConfig): string {
  const preset = matchPreset(c);
  return preset ? PRESETS[preset].label : techniqueLabel(c);
}

/** The dataset's name without its description, e.g. "Fashion-MNIST". */
export function datasetShortName(c: Pick<RunConfig, 'dataset'>): string {
  return DATASETS[c.dataset].label.replace(/\s*\(.*$/, '');
}

/**
 * A run's name: its number, what it switches on, and what most often tells two runs apart,
 * e.g. "#3 IR-Net · R8 w16 · MNIST · 2000 steps · lr 0.002/0.005 · seed 1" (the latent weights'
 * lr after the slash for binary runs). The parts are joined by " · " so legends can drop the
 * ones all runs share.
 */
export function runName(c: RunConfig, number: number): string {
  return `#${number} ${runLabel(c)}`;
}

/** runName without the number (example runs have none). */
export function runLabel(c: RunConfig): string {
  const lr = c.precision === 'binary' ? `${short(c.lr)}/${short(c.latentLr)}` : short(c.lr);
  return `${runTitle(c)} · R${c.depth} w${c.width} · ${datasetShortName(c)} · ${c.steps} steps · lr ${lr} · seed ${c.seed}`;
}

function short(v: number): string {
  return String(+v.toPrecision(3));
}

/**
 * The colour of the n-th run: ten hand-picked colours that read on light and dark backgrounds,
 * then hues a golden angle apart in alternating lightness, so no two runs share one.
 */
export function runColor(n: number): string {
  const BASE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4d7c0f', '#6366f1'];
  if (n < BASE.length) return BASE[n];
  const k = n - BASE.length;
  const hue = (17 + k * 137.508) % 360;
  return `hsl(${hue.toFixed(1)}, ${k % 2 ? 60 : 75}%, ${[42, 52, 36][k % 3]}%)`;
}

/** The first colour index no run in the list uses (colours stay distinct after deletions). */
export function freeColorIndex(runs: readonly Pick<RunRecord, 'color'>[]): number {
  const used = new Set(runs.map((r) => r.color));
  let n = 0;
  while (used.has(runColor(n))) n++;
  return n;
}

export interface RunProgress {
  done: number;
  total: number;
  /** Remaining seconds at the recent step time; null before the first step or when not training. */
  etaSeconds: number | null;
  /** Recent ms per step; null before the first step. */
  msPerStep: number | null;
}

/** Steps done of the budget, and the remaining time at the pace of the last 20 steps. */
export function progressOf(r: RunRecord): RunProgress {
  const lastStep = r.steps.at(-1)?.step ?? 0;
  const lastEval = r.evals.at(-1)?.step ?? 0;
  const done = r.imported || r.example ? Math.max(lastStep, lastEval) : lastStep;
  const total = r.config.steps;
  const recent = r.steps.slice(-20);
  const msPerStep = recent.length && !r.example ? recent.reduce((a, s) => a + s.ms, 0) / recent.length : null;
  return { done, total, msPerStep, etaSeconds: msPerStep !== null && isActive(r) ? ((total - done) * msPerStep) / 1000 : null };
}

/** "42 s", "3 min 5 s", "1 h 12 min". */
export function formatSeconds(s: number): string {
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) {
    const m = Math.floor(s / 60);
    return `${m} min ${Math.round(s - 60 * m)} s`;
  }
  const h = Math.floor(s / 3600);
  return `${h} h ${Math.round((s - 3600 * h) / 60)} min`;
}
