import * as tf from '@tensorflow/tfjs-core';
import seedrandom from 'seedrandom';
import type { RunConfig } from '../config';
import type { ImageDataset } from '../../data/dataset';
import { ShuffledBatches } from '../../data/batches';
import { augmentBatch } from '../../data/augment';
import { BnnModel } from '../model/model';
import type { ParamSnapshot } from '../model/params';
import type { LossTerm } from './objective';
import type { RunOutcome, TrainerListener, TrainerOptions, TrainPhase } from './trainer-types';
import { trainingStep } from './training-step';
import { lossTermsFor } from './terms';
import { evaluate, evaluationIndices, yieldToEventLoop, type Evaluation } from './evaluate';
import { ScheduledOptimizer } from './optimizer';
import { progressFor, quantTkAt, shownTk, type QuantTk } from './schedules';
import { LayerStatsTracker, type LayerStats } from './layer-stats';
import { calibrateBatchNorm } from './bn-calibration';
import { parameterGroups } from './param-groups';
import { probeImages } from './probes';
import { updateMovingStats } from './moving-stats';
import { stratifiedSample } from '../../data/stratified-sample';
import { backgroundOf } from '../../data/catalog';
import { maskKeepShare, restrictionEraseValue } from './restriction';

export type { EvalMetrics, RunOutcome, RunStatus, StepMetrics, TrainerListener, TrainerOptions, TrainPhase } from './trainer-types';

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
  private readonly onPhase: TrainerOptions['onPhase'];
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
    this.onPhase = options.onPhase;
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
    return quantTkAt(c, progressFor(step, c.steps, this.batches.batchesPerEpoch, c.tkPerEpoch));
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
      let mark = t0;
      const phase = (name: TrainPhase): void => {
        if (!this.onPhase) return;
        const t = now();
        this.onPhase(name, t - mark);
        mark = t;
      };
      const step = this.step;
      this.data.fillBatch(this.batches.batchAt(step), raw, labels);
      if (augment) augmentBatch(raw, augmented, c.batchSize, h, w, ch, seedrandom.alea(`${c.seed}:aug:${step}`));
      const tk = this.tkAt(step);
      const lrs = this.optimizer.setStep(step);
      phase('batch');

      const result = trainingStep(this.model, this.terms, this.trainable, augment ? augmented : raw, labels, tk);
      phase('forward+backward');
      const [loss, ce, correct, gradSq] = await result.readout.data();
      result.readout.dispose();
      phase('read-back');
      if (!Number.isFinite(loss) || !Number.isFinite(gradSq)) {
        result.dispose();
        const message = `training stopped at step ${step + 1}: the ${Number.isFinite(loss) ? 'gradient' : 'loss'} became ${
          Number.isNaN(loss) || Number.isNaN(gradSq) ? 'NaN' : 'infinite'
        }; the weights are those of the last good step (try a lower learning rate)`;
        this.listener.onStatus?.('failed', message);
        return { status: 'failed', steps: step, message, lastEval };
      }
      this.optimizer.apply(result.grads);
      phase('optimizer');
      updateMovingStats(this.model, result.batchStats);
      phase('bn-moving-stats');
      const pendingStats = this.stats && this.statsDueAt(step + 1) ? this.measureStats(step + 1, result.grads, tk) : null;
      result.dispose();
      this.step = step + 1;
      const ms = now() - t0;
      const layerStats = pendingStats ? await pendingStats : null;
      if (pendingStats) phase('layer-stats');

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
        mark = now();
        lastEval = await this.evaluateNow(this.step === c.steps);
        phase('evaluation');
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



}



function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
