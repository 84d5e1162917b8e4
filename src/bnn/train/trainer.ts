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
import { evaluate, evaluationIndices, yieldToEventLoop, type Evaluation } from './evaluate';
import { ScheduledOptimizer, type ParamGroup } from './optimizer';
import { progressFor, type QuantTk, type TK } from './schedules';
import { LayerStatsTracker, type LayerStats } from './layer-stats';
import { calibrateBatchNorm } from './bn-calibration';
import { latentWeightNames } from '../model/model';
import { getEstimator } from '../quantizers/registry';
import { UNIT_TK } from '../quantizers/estimator';
import { stratifiedSample } from '../../data/stratified-sample';
import { backgroundOf } from '../../data/catalog';
import { maskKeepShare, restrictionEraseValue } from './restriction';

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
}

/** Test images the layer statistics are measured on: a stratified sample, the same for every run. */
export const STATS_PROBE_IMAGES = 50;

export interface RunOutcome {
  status: Exclude<RunStatus, 'running' | 'paused'>;
  /** Steps completed. */
  steps: number;
  message?: string;
  lastEval?: Evaluation;
}

/**
 * The training loop: seeded data order and augmentation, cosine lr, the EDE/DTE t-k schedule,
 * evaluation on the test split, pause/resume/stop and single steps while paused, between steps. A non-finite loss or gradient
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
  /** Steps stepOnce() granted while paused and not yet run. */
  private grantedSteps = 0;
  private step: number;
  private readonly stats: LayerStatsTracker | null;
  private readonly statsEvery: number;
  private statsProbe: Float32Array | null = null;
  private readonly evalIndices: Int32Array;
  private readonly calibrationIndices: Int32Array | null;

  constructor(
    readonly config: RunConfig,
    readonly data: ImageDataset,
    private readonly listener: TrainerListener = {},
    options: TrainerOptions = {},
  ) {
    this.terms = options.terms ?? lossTermsFor(config, options.teacher, this.restrictionErase(data));
    this.model = options.initial
      ? BnnModel.fromSnapshot(config, data.numClasses, options.initial)
      : BnnModel.create(config, data.numClasses);
    this.step = options.startStep ?? 0;
    this.batches = new ShuffledBatches(data.trainIndices, config.batchSize, `${config.seed}`, this.step);
    this.trainable = this.model.params.trainable();
    this.optimizer = new ScheduledOptimizer(config, parameterGroups(this.model, config));
    this.evalIndices = evaluationIndices(data, config.evalLimit);
    this.calibrationIndices =
      config.bnCalibration > 0
        ? stratifiedSample(data.trainIndices, (i) => data.label(i), data.numClasses, config.bnCalibration, `${config.seed}:bn-calibration`)
        : null;
    this.statsEvery = options.statsEvery ?? 10;
    if (options.startPaused) this.state = 'paused';
    this.stats =
      listener.onLayerStats && this.model.binary && this.statsEvery > 0
        ? new LayerStatsTracker(this.model, { histogramLayer: options.histogramLayer })
        : null;
  }

  /** What IR2Net's restriction erases to on this dataset, per input channel (restriction.ts). */
  restrictionErase(data: ImageDataset = this.data): number[] {
    return restrictionEraseValue(data, backgroundOf(data.name));
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

  /** Paused (between steps, or before the first). */
  get paused(): boolean {
    return this.state === 'paused';
  }

  /** While paused: train exactly one more batch, then stay paused (TensorFlow Playground's step). */
  stepOnce(): void {
    if (this.state !== 'paused') return;
    this.grantedSteps++;
    this.wake?.();
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
      this.grantedSteps = 0;
      this.listener.onStatus?.('running');
      this.wake?.();
    }
  }

  stop(): void {
    this.state = 'stopping';
    this.wake?.();
  }

  /** t and k of each estimator's schedule at a step (EDE/DTE; 1, 1 for the others). */
  tkAt(step: number): QuantTk {
    const c = this.config;
    const p = progressFor(step, c.steps, this.batches.batchesPerEpoch, c.tkPerEpoch);
    const at = (name: RunConfig['activationEstimator']): TK => getEstimator(name).schedule?.(p, c) ?? UNIT_TK;
    return { activation: at(c.activationEstimator), weight: at(c.weightEstimator) };
  }

  async run(): Promise<RunOutcome> {
    const c = this.config;
    this.listener.onStatus?.(this.state === 'paused' ? 'paused' : 'running');
    let lastEval: Evaluation | undefined;
    const { height: h, width: w, channels: ch, imageSize } = this.data;
    const raw = new Float32Array(c.batchSize * imageSize);
    const augmented = new Float32Array(c.batchSize * imageSize);
    const labels = new Int32Array(c.batchSize);
    const augment = ch === 3;
    await this.stats?.baseline();

    while (this.step < c.steps) {
      while (this.state === 'paused' && this.grantedSteps === 0) await new Promise<void>((r) => (this.wake = r));
      if (this.state === 'stopping') break;
      if (this.state === 'paused') this.grantedSteps--;
      const t0 = now();
      const step = this.step;
      this.data.fillBatch(this.batches.batchAt(step), raw, labels);
      if (augment) augmentBatch(raw, augmented, c.batchSize, h, w, ch, seedrandom.alea(`${c.seed}:aug:${step}`));
      const tk = this.tkAt(step);
      const lrs = this.optimizer.setStep(step);

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
      const pendingStats = this.stats && this.statsDueAt(step + 1) ? this.measureStats(step + 1, result.grads, tk) : null;
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
        lr: lrs.float ?? NaN,
        latentLr: lrs.latent ?? lrs.float ?? NaN,
        ...shownTk(c, tk),
        ms,
        gradNorm: Math.sqrt(gradSq),
      });
      if (layerStats) this.listener.onLayerStats?.(layerStats);
      if (this.step % c.evalEvery === 0 || this.step === c.steps) {
        lastEval = await this.evaluateNow(this.step === c.steps);
        if (this.listener.onCheckpoint && this.step < c.steps) await this.listener.onCheckpoint(this.step, await this.snapshot());
      }
      await yieldToEventLoop();
    }
    const stopped = this.step < c.steps;
    if (stopped && !lastEval) lastEval = await this.evaluateNow(true);
    const status = stopped ? 'stopped' : 'finished';
    this.listener.onStatus?.(status);
    return { status, steps: this.step, lastEval };
  }

  /**
   * Evaluates on the run's test images. With BN calibration on, the BN statistics are first
   * recalibrated (and kept: training goes on from them, and exports carry them); `final` also
   * measures the moving averages before, for comparison.
   */
  async evaluateNow(final = false): Promise<Evaluation> {
    let moving: Evaluation | null = null;
    if (this.calibrationIndices) {
      if (final) moving = await evaluate(this.model, this.data, this.evalIndices);
      await calibrateBatchNorm(this.model, this.data, this.calibrationIndices);
    }
    const e = await evaluate(this.model, this.data, this.evalIndices);
    this.listener.onEval?.({
      step: this.step,
      testAccuracy: e.accuracy,
      testLoss: e.loss,
      movingAccuracy: moving?.accuracy ?? null,
      movingLoss: moving?.loss ?? null,
    });
    return e;
  }

  /** The test images evaluations use (the whole test split, or a stratified sample of evalLimit). */
  get evaluationImages(): Int32Array {
    return this.evalIndices;
  }

  private statsDueAt(step: number): boolean {
    const c = this.config;
    return step % this.statsEvery === 0 || step % c.evalEvery === 0 || step === c.steps;
  }

  /** Dispatches the measurement now (weights after the update, these gradients); reads back later. */
  private measureStats(step: number, grads: tf.NamedTensorMap, tk: QuantTk): Promise<LayerStats> {
    const { height, width, channels, imageSize } = this.data;
    if (!this.statsProbe) {
      const probeIndices = probeImages(this.data);
      this.statsProbe = new Float32Array(probeIndices.length * imageSize);
      this.data.fillBatch(probeIndices, this.statsProbe, new Int32Array(probeIndices.length));
    }
    const n = this.statsProbe.length / imageSize;
    const probe = n > 0 ? tf.tensor4d(this.statsProbe, [n, height, width, channels]) : null;
    const pending = (this.stats as LayerStatsTracker).measure(step, probe, grads, tk);
    const keep = probe && this.config.restriction ? maskKeepShare(this.model, this.model.quant(tk), probe, this.config.restrictionLambda) : null;
    probe?.dispose();
    return keep ? Promise.all([pending, keep]).then(([s, maskKeep]) => ({ ...s, maskKeep })) : pending;
  }

  snapshot(): Promise<ParamSnapshot> {
    return this.model.params.snapshot();
  }

  dispose(): void {
    this.optimizer.dispose();
    this.model.dispose();
  }

  private computeStep(images: Float32Array, labels: Int32Array, tk: QuantTk) {
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

/**
 * The two parameter groups: the binary convs' latent weights at latentLr, without weight decay;
 * everything else at lr, with decay on its conv and dense weights. A full-precision run has one.
 */
export function parameterGroups(model: BnnModel, cfg: Pick<RunConfig, 'lr' | 'latentLr'>): ParamGroup[] {
  const latent = new Set(model.binary ? latentWeightNames(model.arch) : []);
  const groups: ParamGroup[] = [];
  const make = (name: ParamGroup['name'], peakLr: number, member: (spec: (typeof model.arch.params)[number]) => boolean): void => {
    const specs = model.arch.params.filter((spec) => spec.trainable && member(spec));
    if (specs.length === 0) return;
    const decayed = new Map<string, tf.Variable>();
    const variables = new Set<string>();
    for (const spec of specs) {
      const v = model.params.get(spec.name);
      variables.add(v.name);
      if (name === 'float' && (spec.kind === 'conv' || spec.kind === 'dense')) decayed.set(v.name, v);
    }
    groups.push({ name, peakLr, variables, decayed });
  };
  make('latent', cfg.latentLr, (spec) => latent.has(spec.name));
  make('float', cfg.lr, (spec) => !latent.has(spec.name));
  return groups;
}

/** The images layer statistics, BN health and attention masks are measured on: a stratified test sample. */
export function probeImages(data: ImageDataset, count = STATS_PROBE_IMAGES): Int32Array {
  return stratifiedSample(data.testIndices, (i) => data.label(i), data.numClasses, count, 'probe');
}

/** The t, k a step reports: the activations' schedule, else the weights', else 1, 1. */
function shownTk(cfg: RunConfig, tk: QuantTk): TK {
  return getEstimator(cfg.activationEstimator).schedule || !getEstimator(cfg.weightEstimator).schedule ? tk.activation : tk.weight;
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
