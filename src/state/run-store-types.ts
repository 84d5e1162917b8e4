import type { RunConfig } from '../bnn/config';
import type { ParamSnapshot } from '../bnn/model/params';
import type { RunArchive } from './run-archive';
import type { NewRunOptions, QueueAction } from './run-queue';
import type { RunRecord } from './run-record';
import type { StepTimes } from './step-time';
import type { TrainerBridge } from './trainer-bridge';

export type ExamplesStatus = 'hidden' | 'loading' | 'shown' | 'failed';

/** The runs store's state and actions (runs.ts builds it from slices that share a StoreContext). */
export interface RunsStore {
  runs: readonly RunRecord[];
  draft: RunConfig;
  /** Why the default backend is not WebGL, shown above the controls. */
  backendNotice: string | null;
  /** Problems found in a shared link's configuration. */
  hashNotice: string | null;
  formError: string | null;
  /** Feedback about the controls (e.g. a run's settings were copied into them). */
  configNotice: string | null;
  /** Last storage failure (e.g. quota), shown until the next successful save. */
  storageError: string | null;
  storageUsage: { usage: number; quota: number } | null;
  hydrated: boolean;
  /** The last problem with a file the user gave (import, upload, export). */
  fileError: string | null;
  cifar10: { train: number; test: number } | null;
  examples: { status: ExamplesStatus; error: string | null; totalBytes: number | null };
  stepTimes: StepTimes;
  measuring: boolean;
  measureError: string | null;
  hydrate(): Promise<void>;
  setDraft(patch: Partial<RunConfig>): void;
  setBackendDefault(backend: RunConfig['backend'], notice: string | null): void;
  setHashNotice(notice: string | null): void;
  /** Queue the draft; `paused` starts it paused after one batch (the Step button). */
  startRun(opts?: { paused?: boolean }): string | null;
  /** Step: one more batch of the paused run, or a new run paused after its first batch. */
  stepActive(): void;
  pause(id: string): void;
  resume(id: string): void;
  stop(id: string): void;
  /** Queue the IR-Net grid {sign(w), Libra-PB} × {STE, EDE} (plus FP) on the current settings, `seeds` seeds. */
  queueAblation(includeFp: boolean, seeds: number): void;
  toggleCompare(id: string): void;
  setCompare(ids: readonly string[], compare: boolean): void;
  /** Copy a run's configuration into the controls, to change it and train again. */
  duplicate(id: string): void;
  deleteRun(id: string): Promise<void>;
  resumeInterrupted(id: string): Promise<void>;
  /** The run's model as a .safetensors file (packed bits + metadata). */
  exportRun(id: string, includeLatent: boolean): Promise<Uint8Array | null>;
  /** Validate a model file, measure it on its dataset and add it as a run; nothing changes on error. */
  importFile(fileName: string, bytes: Uint8Array): Promise<string | null>;
  /** Train further from an imported run's latent weights. */
  continueTraining(id: string): void;
  uploadCifar10(files: { name: string; bytes: Uint8Array }[]): Promise<void>;
  /** Show (fetching them on first use) or hide the example gallery; remembered in this browser. */
  showExamples(show: boolean): Promise<void>;
  /** Time a few steps of the draft's shape on this device (only while no run trains). */
  measureStepTime(): Promise<void>;
}

/** What the store's slices share. */
export interface StoreContext {
  get(): RunsStore;
  set(patch: Partial<RunsStore>): void;
  dispatch(a: QueueAction): void;
  find(id: string): RunRecord | undefined;
  /** Saves a run (and weights when given); failures show as storageError. */
  save(id: string, weights?: { step: number; final: boolean; snapshot: ParamSnapshot }): Promise<void>;
  enqueue(config: RunConfig, extra?: Partial<NewRunOptions>): string;
  startNext(): void;
  /** The next run number (#n). */
  nextNumber(): number;
  bridge: TrainerBridge;
  archive: RunArchive;
  baseUrl: string;
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
