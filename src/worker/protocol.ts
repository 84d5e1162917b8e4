import type { RunConfig } from '../bnn/config';
import type { ParamSnapshot } from '../bnn/model/params';
import type { EvalMetrics, RunStatus, StepMetrics } from '../bnn/train/trainer';
import type { BackendName } from '../bnn/backend';
import type { LayerStats } from '../bnn/train/layer-stats';
import type { AttentionSample } from '../bnn/train/restriction';

/** A trained model handed to a run (distillation teacher, or the weights to resume from). */
export interface WeightsPayload {
  config: RunConfig;
  snapshot: ParamSnapshot;
}

/** Messages from the page to the training worker. One run trains at a time. */
export type ToTrainer =
  | {
      type: 'start';
      runId: string;
      config: RunConfig;
      teacher?: WeightsPayload;
      resume?: { step: number; snapshot: ParamSnapshot };
      /** Start paused and train only this many batches (the Step button); resume trains on. */
      paused?: { steps: number };
    }
  | { type: 'pause'; runId: string }
  /** While paused: train one more batch and stay paused. */
  | { type: 'step'; runId: string }
  | { type: 'resume'; runId: string }
  | { type: 'stop'; runId: string }
  /** Which binary conv's gradient histogram the layer statistics carry. */
  | { type: 'statsLayer'; runId: string; layer: string }
  | FileRequest;

/** Requests about model and data files, answered by a FileReply with the same requestId. */
export type FileRequest =
  | { type: 'export'; requestId: string; config: RunConfig; snapshot: ParamSnapshot; testAccuracy: number | null; includeLatent: boolean }
  | { type: 'import'; requestId: string; fileName: string; bytes: Uint8Array }
  | { type: 'cifar10'; requestId: string; files: { name: string; bytes: Uint8Array }[] }
  /**
   * Time a few training steps of a config on images of its shape (random pixels: the time does
   * not depend on them), for the duration estimate before a run. Refused while a run trains.
   */
  | { type: 'measure-step'; requestId: string; config: RunConfig; steps: number };

export type FileReply =
  | { type: 'exported'; requestId: string; bytes: Uint8Array }
  | {
      type: 'imported';
      requestId: string;
      config: RunConfig;
      /** Accuracy stored in the file, and the one measured now on the dataset's test split. */
      fileAccuracy: number | null;
      measuredAccuracy: number;
      /** Weights the app can run (fixed binary weights, or latent ones when the file has them). */
      snapshot: ParamSnapshot;
      hasLatent: boolean;
    }
  | { type: 'cifar10-loaded'; requestId: string; train: number; test: number }
  /** Median ms per step over the timed steps (after one untimed warm-up step), on `backend`. */
  | { type: 'step-measured'; requestId: string; msPerStep: number; steps: number; backend: BackendName }
  | { type: 'request-failed'; requestId: string; message: string };

export type SessionStatus = RunStatus | 'loading';

/** Messages from the training worker to the page. */
export type FromTrainer =
  /** `threads`: the wasm backend's thread count (1 without cross-origin isolation). */
  | { type: 'backend'; runId: string; backend: BackendName; threads?: number }
  /** `progress` ∈ [0, 1] while a dataset downloads (status 'loading'). */
  | { type: 'status'; runId: string; status: SessionStatus; message?: string; progress?: number }
  | { type: 'steps'; runId: string; metrics: StepMetrics[] }
  | { type: 'eval'; runId: string; metrics: EvalMetrics }
  /** Per binary conv statistics (binary runs, every few steps and at each evaluation). */
  | { type: 'layerStats'; runId: string; stats: LayerStats }
  | { type: 'checkpoint'; runId: string; step: number; snapshot: ParamSnapshot }
  /** IR2Net restriction runs: input / attention / masked input of train images of different classes, and their class names. */
  | { type: 'masks'; runId: string; step: number; samples: AttentionSample[]; labels?: string[] }
  | { type: 'done'; runId: string; status: Exclude<RunStatus, 'running' | 'paused'>; steps: number; message?: string; snapshot: ParamSnapshot }
  | { type: 'error'; runId: string; message: string; code?: 'webgl-unavailable' | 'context-lost' }
  | FileReply;
