import type { ParamSnapshot } from '../model/params';
import type { BnnModel } from '../model/model';
import type { Evaluation } from './evaluate';
import type { LayerStats } from './layer-stats';
import type { LossTerm } from './objective';

/** What the Trainer reports and takes: per-step and per-evaluation metrics, its listener and options. */

export interface StepMetrics {
  step: number;
  epoch: number;
  loss: number;
  /** Cross-entropy part of the loss (equals loss without extra terms). */
  ce: number;
  accuracy: number;
  /** Learning rate of the full-precision parameters at this step. */
  lr: number;
  /** Learning rate of the binary convs' latent weights (equal to lr for a full-precision run). */
  latentLr: number;
  /** t, k of the activations' estimator schedule (else the weights'; 1, 1 when neither has one). */
  t: number;
  k: number;
  /** Wall time of this step in ms. */
  ms: number;
  /** L2 norm of all latent gradients together. */
  gradNorm: number;
}

export interface EvalMetrics {
  step: number;
  /** Accuracy and loss as the run reports them: after BN calibration when the config asks for it. */
  testAccuracy: number;
  testLoss: number;
  /**
   * The same images evaluated with the moving averages of the BN statistics, before calibration;
   * measured at the final evaluation of a calibrated run (null otherwise).
   */
  movingAccuracy?: number | null;
  movingLoss?: number | null;
}

export type RunStatus = 'running' | 'paused' | 'stopped' | 'finished' | 'failed';

export interface TrainerListener {
  onStep?(m: StepMetrics): void;
  onEval?(m: EvalMetrics): void;
  onStatus?(status: RunStatus, message?: string): void;
  /** Per binary conv statistics every `statsEvery` steps and at each evaluation (binary models only). */
  onLayerStats?(s: LayerStats): void;
  /** After each evaluation: the weights at that step, for persistence; awaited before training goes on. */
  onCheckpoint?(step: number, snapshot: ParamSnapshot): Promise<void> | void;
}

export interface TrainerOptions {
  /** Extra loss terms (IR2Net restriction, RBD distillation); default lossTermsFor(config, teacher). */
  terms?: readonly LossTerm[];
  /** Full-precision teacher for RBD distillation (owned by the caller; never updated or disposed here). */
  teacher?: BnnModel;
  /** Resume: start at this step with these weights. */
  startStep?: number;
  initial?: ParamSnapshot;
  /** Layer statistics every this many steps (default 10; 0 = never); measured only with an onLayerStats listener. */
  statsEvery?: number;
  /** Binary conv whose gradient histogram is reported (default the first). */
  histogramLayer?: string;
  /** Start paused: no step runs until resume() or stepOnce(). */
  startPaused?: boolean;
  /** Receives the wall time of each phase of each step (profiling; see bench/train-profile.ts). */
  onPhase?: (phase: TrainPhase, ms: number) => void;
}

/** The phases of a training step, as the profiler reports them. */
export type TrainPhase = 'batch' | 'forward+backward' | 'read-back' | 'optimizer' | 'bn-moving-stats' | 'layer-stats' | 'evaluation';

export const STATS_PROBE_IMAGES = 50;

export interface RunOutcome {
  status: Exclude<RunStatus, 'running' | 'paused'>;
  /** Steps completed. */
  steps: number;
  message?: string;
  lastEval?: Evaluation;
}

