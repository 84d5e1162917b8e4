import * as tf from '@tensorflow/tfjs-core';
import seedrandom from 'seedrandom';
import type { RunConfig } from '../config';
import type { ImageDataset } from '../../data/dataset';
import { ShuffledBatches } from '../../data/batches';
import { augmentBatch } from '../../data/augment';
import { BnnModel } from '../model/model';
import type { ParamSnapshot } from '../model/params';
import { trainingObjective, type LossTerm } from './objective';
import { lossTermsFor } from './terms';
import { correctCount } from './loss';
import { evaluate, yieldToEventLoop, type Evaluation } from './evaluate';
import { ScheduledOptimizer } from './optimizer';
import { cosineLr, dteSchedule, edeSchedule, progressFor, type TK } from './schedules';
import { LayerStatsTracker, type LayerStats } from './layer-stats';

export interface StepMetrics {
  step: number;
  epoch: number;
  loss: number;
  /** Cross-entropy part of the loss (equals loss without extra terms). */
  ce: number;
  accuracy: number;
  lr: number;
  t: number;
  k: number;
  /** Wall time of this step in ms. */
  ms: number;
  /** L2 norm of all latent gradients together. */
  gradNorm: number;
}

export interface EvalMetrics {
  step: number;
  testAccuracy: number;
  testLoss: number;
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
}

/** Test images the activation entropies are measured on (the first ones of the test split). */
const STATS_PROBE_IMAGES = 32;

export interface RunOutcome {
  status: Exclude<RunStatus, 'running' | 'paused'>;
  /** Steps completed. */
  steps: number;
  message?: string;
  lastEval?: Evaluation;
}

/**
 * The training loop: seeded data order and augmentation, cosine lr, the EDE/DTE t-k schedule,
 * evaluation on the test split, pause/resume/stop between steps. A non-finite loss or gradient
 * stops the run before the update, so the weights stay the last good ones.
 */
export class Trainer {
  readonly model: BnnModel;
  private readonly batches: ShuffledBatches;
  private readonly optimizer: ScheduledOptimizer;
  private readonly trainable: tf.Variable[];
  private readonly terms: readonly LossTerm[];
  private state: 'running' | 'paused' | 'stopping' = 'running';
  private wake: (() => void) | null = null;
  private step: number;
  private readonly stats: LayerStatsTracker | null;
  private readonly statsEvery: number;
  private statsProbe: Float32Array | null = null;

  constructor(
    readonly config: RunConfig,
    readonly data: ImageDataset,
    private readonly listener: TrainerListener = {},
    options: TrainerOptions = {},
  ) {
    this.terms = options.terms ?? lossTermsFor(config, options.teacher);
    this.model = options.initial
      ? BnnModel.fromSnapshot(config, data.numClasses, options.initial)
      : BnnModel.create(config, data.numClasses);
    this.step = options.startStep ?? 0;
    this.batches = new ShuffledBatches(data.trainIndices, config.batchSize, `${config.seed}`, this.step);
    this.trainable = this.model.params.trainable();
    const decayed = new Map<string, tf.Variable>();
    for (const spec of this.model.arch.params) {
      if (spec.kind === 'conv' || spec.kind === 'dense') {
        const v = this.model.params.get(spec.name);
        decayed.set(v.name, v);
      }
    }
    this.optimizer = new ScheduledOptimizer(config, decayed);
    this.statsEvery = options.statsEvery ?? 10;
    this.stats =
      listener.onLayerStats && this.model.binary && this.statsEvery > 0
        ? new LayerStatsTracker(this.model, { histogramLayer: options.histogramLayer })
        : null;
  }

  /** Names of the binary convs layer statistics cover. */
  get statsLayers(): string[] {
    return this.stats?.layerNames ?? [];
  }

  /** Choose the gradient-histogram layer by name; false when there is no such binary conv. */
  setHistogramLayer(name: string): boolean {
    return this.stats?.setHistogramLayer(name) ?? false;
  }

  get currentStep(): number {
    return this.step;
  }

  get stepsPerEpoch(): number {
    return this.batches.batchesPerEpoch;
  }

  pause(): void {
    if (this.state === 'running') {
      this.state = 'paused';
      this.listener.onStatus?.('paused');
    }
  }

  resume(): void {
    if (this.state === 'paused') {
      this.state = 'running';
      this.listener.onStatus?.('running');
      this.wake?.();
    }
  }

  stop(): void {
    this.state = 'stopping';
    this.wake?.();
  }

  /** t and k of the estimator schedule at a step (EDE/DTE; 1, 1 for the others). */
  tkAt(step: number): TK {
    const c = this.config;
    const p = progressFor(step, c.steps, this.batches.batchesPerEpoch, c.tkPerEpoch);
    if (c.estimator === 'ede') return edeSchedule(p, c.tMin, c.tMax);
    if (c.estimator === 'dte') return dteSchedule(p, c.tMin, c.tMax, c.pSwitch);
    return { t: 1, k: 1 };
  }

  async run(): Promise<RunOutcome> {
    const c = this.config;
    this.listener.onStatus?.('running');
    let lastEval: Evaluation | undefined;
    const { height: h, width: w, channels: ch, imageSize } = this.data;
    const raw = new Float32Array(c.batchSize * imageSize);
    const augmented = new Float32Array(c.batchSize * imageSize);
    const labels = new Int32Array(c.batchSize);
    const augment = ch === 3;
    await this.stats?.baseline();

    while (this.step < c.steps) {
      if (this.state === 'paused') await new Promise<void>((r) => (this.wake = r));
      if (this.state === 'stopping') break;
      const t0 = now();
      const step = this.step;
      this.data.fillBatch(this.batches.batchAt(step), raw, labels);
      if (augment) augmentBatch(raw, augmented, c.batchSize, h, w, ch, seedrandom.alea(`${c.seed}:aug:${step}`));
      const tk = this.tkAt(step);
      const lr = cosineLr(c.lr, step / c.steps);
      this.optimizer.setLearningRate(lr);

      const result = this.computeStep(augment ? augmented : raw, labels, tk);
      const [loss, ce, correct, gradSq] = await result.readout.data();
      result.readout.dispose();
      if (!Number.isFinite(loss) || !Number.isFinite(gradSq)) {
        result.dispose();
        const message = `training stopped at step ${step + 1}: the ${Number.isFinite(loss) ? 'gradient' : 'loss'} became ${
          Number.isNaN(loss) || Number.isNaN(gradSq) ? 'NaN' : 'infinite'
        }; the weights are those of the last good step (try a lower learning rate)`;
        this.listener.onStatus?.('failed', message);
        return { status: 'failed', steps: step, message, lastEval };
      }
      this.optimizer.apply(result.grads);
      this.updateMovingStats(result.batchStats);
      const pendingStats = this.stats && this.statsDueAt(step + 1) ? this.measureStats(step + 1, result.grads) : null;
      result.dispose();
      this.step = step + 1;
      const ms = now() - t0;
      const layerStats = pendingStats ? await pendingStats : null;

      this.listener.onStep?.({
        step: this.step,
        epoch: this.step / this.batches.batchesPerEpoch,
        loss,
        ce,
        accuracy: correct / c.batchSize,
        lr,
        t: tk.t,
        k: tk.k,
        ms,
        gradNorm: Math.sqrt(gradSq),
      });
      if (layerStats) this.listener.onLayerStats?.(layerStats);
      if (this.step % c.evalEvery === 0 || this.step === c.steps) {
        lastEval = await this.evaluateNow();
        if (this.listener.onCheckpoint && this.step < c.steps) await this.listener.onCheckpoint(this.step, await this.snapshot());
      }
      await yieldToEventLoop();
    }
    const stopped = this.step < c.steps;
    if (stopped && !lastEval) lastEval = await this.evaluateNow();
    const status = stopped ? 'stopped' : 'finished';
    this.listener.onStatus?.(status);
    return { status, steps: this.step, lastEval };
  }

  async evaluateNow(): Promise<Evaluation> {
    const e = await evaluate(this.model, this.data, this.tkAt(this.step), this.config.evalLimit);
    this.listener.onEval?.({ step: this.step, testAccuracy: e.accuracy, testLoss: e.loss });
    return e;
  }

  private statsDueAt(step: number): boolean {
    const c = this.config;
    return step % this.statsEvery === 0 || step % c.evalEvery === 0 || step === c.steps;
  }

  /** Dispatches the measurement now (weights after the update, these gradients); reads back later. */
  private measureStats(step: number, grads: tf.NamedTensorMap): Promise<LayerStats> {
    const { height, width, channels, imageSize, testIndices } = this.data;
    const n = Math.min(STATS_PROBE_IMAGES, testIndices.length);
    if (!this.statsProbe && n > 0) {
      this.statsProbe = new Float32Array(n * imageSize);
      this.data.fillBatch(testIndices.subarray(0, n), this.statsProbe, new Int32Array(n));
    }
    const probe = this.statsProbe ? tf.tensor4d(this.statsProbe, [n, height, width, channels]) : null;
    const pending = (this.stats as LayerStatsTracker).measure(step, probe, grads);
    probe?.dispose();
    return pending;
  }

  snapshot(): Promise<ParamSnapshot> {
    return this.model.params.snapshot();
  }

  dispose(): void {
    this.optimizer.dispose();
    this.model.dispose();
  }

  private computeStep(images: Float32Array, labels: Int32Array, tk: TK) {
    const c = this.config;
    const quant = this.model.quant(tk);
    let kept: tf.Tensor[] = [];
    let batchStats: Record<string, { mean: tf.Tensor1D; variance: tf.Tensor1D }> = {};
    let ceT: tf.Scalar | null = null;
    let correctT: tf.Scalar | null = null;
    const x = tf.tensor4d(images, [c.batchSize, this.data.height, this.data.width, this.data.channels]);
    const y = tf.tensor1d(labels, 'int32');
    const { value, grads } = tf.variableGrads(() => {
      const obj = trainingObjective(this.model, quant, x, y, this.terms);
      batchStats = obj.batchStats;
      ceT = tf.keep(obj.ce);
      correctT = tf.keep(correctCount(obj.logits, y));
      kept = [ceT, correctT];
      for (const s of Object.values(batchStats)) kept.push(tf.keep(s.mean), tf.keep(s.variance));
      return obj.total;
    }, this.trainable);
    const readout = tf.tidy(() => {
      const gradSq = tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))));
      return tf.stack([value, ceT as unknown as tf.Scalar, correctT as unknown as tf.Scalar, gradSq]);
    });
    return {
      readout,
      grads,
      batchStats,
      dispose: () => {
        tf.dispose([x, y, value, ...kept, ...Object.values(grads)]);
      },
    };
  }

  /** moving ← 0.9 · moving + 0.1 · batch (PyTorch's BN momentum 0.1). */
  private updateMovingStats(stats: Record<string, { mean: tf.Tensor1D; variance: tf.Tensor1D }>): void {
    tf.tidy(() => {
      for (const op of this.model.arch.ops) {
        if (op.op !== 'batchnorm') continue;
        const s = stats[op.name];
        if (!s) continue;
        const mean = this.model.params.get(op.mean);
        const variance = this.model.params.get(op.variance);
        mean.assign(tf.add(tf.mul(mean, 0.9), tf.mul(s.mean, 0.1)));
        variance.assign(tf.add(tf.mul(variance, 0.9), tf.mul(s.variance, 0.1)));
      }
    });
  }
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
