/**
 * Training-step benchmark suite (`npm run bench:train`, and the bench-train.html page): milliseconds
 * per training step, on the active tfjs backend, of
 *   - ours, binarized (IR-Net preset: Libra-PB weights, EDE estimator),
 *   - ours, full precision (the same graph with float convs),
 *   - the same full-precision network as a plain tf.layers model trained with `model.fit`
 *     (see layers-baseline.ts),
 * for ResNet-8 and ResNet-20 (w = 16, batch 32, MNIST 28×28×1 by default).
 *
 * "Ours" is the real Trainer (src/bnn/train/trainer.ts) — batch filling, forward/backward, the
 * optimiser, the BN moving statistics, its per-step read-back and yield — paused and resumed between
 * samples. A sample is a block of `stepsPerSample` consecutive steps, timed from the resume to the
 * moment the last step's updates have landed (a read of the last BN moving variance, which on WebGL
 * waits for every queued command), divided by the number of steps. The tf.layers sample is one
 * `model.fit` call over `stepsPerSample` batches, which also returns only once its results are read.
 *
 * Each step sample is followed by a forward sample of the same variant: `stepsPerSample` passes of
 * the training-mode forward pass and loss on a batch (what a step computes before its backward
 * pass), each read back. The step/forward ratio says what the backward pass and the update cost on
 * top (about 3 for plain autograd).
 *
 * The machine is shared and noisy, so the variants of one depth are interleaved: each round runs one
 * sample of every variant, in an order rotated every round; the first `warmupRounds` rounds (shader
 * compilation, wasm start-up, optimiser slots) are discarded. Reported: the median ms/step per variant
 * and, for the ratios, the median over rounds of the ratio within a round (paired, so drift that hits
 * one round hits both sides).
 *
 * No Node or DOM APIs: it runs in Node, on a page and in a Worker. The caller starts the backend.
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_CONFIG, type RunConfig } from '../bnn/config';
import type { ImageDataset } from '../data/dataset';
import { Trainer } from '../bnn/train/trainer';
import { trainingObjective } from '../bnn/train/objective';
import { STEP_VARIANTS, STEP_VARIANT_LABELS, type StepVariantId } from './step-bench-variants';
import { compiledLayersResNet, trainableParamCount, withIm2colConvFilterGradient } from './layers-baseline';

export { STEP_VARIANTS, STEP_VARIANT_LABELS, type StepVariantId } from './step-bench-variants';

export type BenchDepth = 8 | 14 | 20;

const FILTER_GRAD_KERNEL = 'Conv2DBackpropFilter';

export interface StepBenchOptions {
  data: ImageDataset;
  depths?: readonly BenchDepth[];
  width?: 8 | 16 | 32;
  batchSize?: number;
  variants?: readonly StepVariantId[];
  /** Rounds run and discarded first. */
  warmupRounds: number;
  /** Rounds measured. */
  rounds: number;
  /** Training steps per sample (one sample per variant per round). */
  stepsPerSample: number;
  onProgress?: (event: StepBenchProgress) => void;
  /**
   * Awaited before every round (warm-up included), when nothing is being timed: lets a caller run
   * two suites in lockstep (bench-train.html alternates the rounds of wasm with all threads and
   * with one), so that their samples pair up round by round.
   */
  beforeRound?: (depth: BenchDepth, round: number) => Promise<void>;
}

export interface StepBenchProgress {
  backend: string;
  depth: BenchDepth;
  variant: StepVariantId;
  /** 1-based; rounds ≤ warmupRounds are warm-up. */
  round: number;
  totalRounds: number;
  warmup: boolean;
  /** This sample's ms per step, or null when the variant is unavailable. */
  msPerStep: number | null;
  /** This sample's ms per forward pass, or null. */
  msPerForward: number | null;
  /** Samples done / total in this backend's run, for a progress bar. */
  done: number;
  total: number;
}

export interface VariantTiming {
  variant: StepVariantId;
  label: string;
  /** Median ms per step over the measured rounds; null when the variant could not run here. */
  msPerStep: number | null;
  /** Measured samples (ms per step), in round order. */
  samples: number[];
  /** Median ms per training-mode forward pass (with the loss), null when not measured. */
  msPerForward: number | null;
  /** Measured forward samples (ms per pass), in round order, paired with `samples`. */
  forwardSamples: number[];
  /** Median over rounds of step / forward within the round; null without both. */
  stepOverForward: number | null;
  /** Why the variant could not run (e.g. a missing kernel), when msPerStep is null. */
  unavailable?: string;
  /** Why the variant was not run because it is not needed here, when msPerStep is null. */
  skipped?: string;
  trainableParams?: number;
}

export interface DepthTiming {
  depth: BenchDepth;
  variants: VariantTiming[];
  /** Medians of the within-round ratios; null when a side is missing. */
  ratios: {
    /** ours binarized / ours FP (goal ≤ 1.3). */
    binaryOverFp: number | null;
    /** ours FP / tf.layers model.fit (goal ≤ 1.0). */
    fpOverLayers: number | null;
    /** ours binarized / tf.layers model.fit. */
    binaryOverLayers: number | null;
    /** The tf.layers variant the two ratios above divide by (the plain one when it can run). */
    layersVariant: 'layers' | 'layersIm2col' | null;
  };
}

export interface StepBenchResult {
  backend: string;
  settings: {
    dataset: string;
    width: number;
    batchSize: number;
    warmupRounds: number;
    rounds: number;
    stepsPerSample: number;
  };
  depths: DepthTiming[];
  /** tf.memory().numTensors after the suite minus before (0 when nothing leaked). */
  tensorDelta: number;
  totalMs: number;
}

/** One timed thing: `sample(k)` runs k training steps, `forward(k)` k forward passes; ms per one. */
interface StepRunner {
  readonly trainableParams: number;
  sample(steps: number): Promise<number>;
  forward(passes: number): Promise<number>;
  dispose(): Promise<void>;
}

/** A fixed batch of the training split (strided through it), for the forward samples. */
function fixedBatch(data: ImageDataset, n: number): { images: Float32Array; labels: Int32Array } {
  const stride = Math.max(1, Math.floor(data.trainIndices.length / n));
  const indices = Int32Array.from({ length: n }, (_, i) => data.trainIndices[(i * stride) % data.trainIndices.length]);
  const images = new Float32Array(n * data.imageSize);
  const labels = new Int32Array(n);
  data.fillBatch(indices, images, labels);
  return { images, labels };
}

/** Median of a list (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The run config a variant trains with (ours only). */
export function benchConfig(
  variant: 'binary' | 'fp',
  depth: BenchDepth,
  width: RunConfig['width'],
  batchSize: number,
  backend: string,
): RunConfig {
  return {
    ...DEFAULT_CONFIG,
    dataset: 'mnist-small',
    depth,
    width,
    batchSize,
    precision: variant === 'binary' ? 'binary' : 'full',
    weightTransform: 'librapb',
    activationEstimator: 'ede',
    weightEstimator: 'ede',
    // Never reach the end of the schedule nor a periodic evaluation while timing.
    steps: 1_000_000,
    evalEvery: 1_000_000,
    evalLimit: 32,
    backend: backend === 'webgpu' || backend === 'webgl' || backend === 'cpu' ? backend : 'wasm',
  };
}

/** The real Trainer, run in blocks of steps by pausing it from its step listener. */
class TrainerRunner implements StepRunner {
  readonly trainableParams: number;
  private readonly trainer: Trainer;
  private readonly syncVar: tf.Variable;
  private run: Promise<unknown> | null = null;
  private stepsDone = 0;
  private target = 0;
  private blockDone: (() => void) | null = null;
  private batch: { images: Float32Array; labels: Int32Array } | null = null;

  constructor(config: RunConfig, data: ImageDataset) {
    this.trainer = new Trainer(config, data, {
      onStep: () => {
        this.stepsDone++;
        if (this.stepsDone >= this.target) {
          this.trainer.pause();
          this.blockDone?.();
        }
      },
    });
    this.trainableParams = this.trainer.model.params.trainable().reduce((s, v) => s + v.size, 0);
    // The trainer's last write of a step: the moving variance of the last BN op.
    const bns = this.trainer.model.arch.ops.filter((op) => op.op === 'batchnorm');
    const last = bns[bns.length - 1];
    if (!last || last.op !== 'batchnorm') throw new Error('the model has no batch norm');
    this.syncVar = this.trainer.model.params.get(last.variance);
  }

  async sample(steps: number): Promise<number> {
    const t0 = performance.now();
    this.target = this.stepsDone + steps;
    const block = new Promise<void>((resolve) => (this.blockDone = resolve));
    if (this.run === null) {
      this.run = this.trainer.run().then((outcome) => {
        throw new Error(`the trainer ended while being timed: ${JSON.stringify(outcome)}`);
      });
    } else {
      this.trainer.resume();
    }
    await Promise.race([block, this.run]);
    await this.syncVar.data();
    return (performance.now() - t0) / steps;
  }

  /**
   * The Trainer's forward pass (trainingObjective, training mode: batch statistics, the estimators
   * at the current t, k) on a batch uploaded as a step uploads it, while the Trainer is paused. The
   * benchmark's presets add no loss terms.
   */
  async forward(passes: number): Promise<number> {
    const t = this.trainer;
    const d = t.data;
    const n = t.config.batchSize;
    this.batch ??= fixedBatch(d, n);
    const { images, labels } = this.batch;
    const t0 = performance.now();
    for (let i = 0; i < passes; i++) {
      const loss = tf.tidy(() => {
        const x = tf.tensor4d(images, [n, d.height, d.width, d.channels]);
        const y = tf.tensor1d(labels, 'int32');
        return trainingObjective(t.model, t.model.quant(t.tkAt(t.currentStep)), x, y, []).total;
      });
      await loss.data();
      loss.dispose();
    }
    return (performance.now() - t0) / passes;
  }

  async dispose(): Promise<void> {
    this.trainer.stop();
    if (this.run) await this.run.catch(() => undefined);
    this.trainer.dispose();
  }
}

/** The tf.layers model, one model.fit call over `steps` batches per sample. */
class LayersRunner implements StepRunner {
  readonly trainableParams: number;
  private readonly model: tf.LayersModel;
  private xs: tf.Tensor4D | null = null;
  private ys: tf.Tensor1D | null = null;

  constructor(
    depth: BenchDepth,
    width: number,
    private readonly batchSize: number,
    private readonly data: ImageDataset,
    private readonly im2colGrad: boolean,
  ) {
    this.model = compiledLayersResNet({
      depth,
      width,
      input: [data.height, data.width, data.channels],
      classes: data.numClasses,
    });
    this.trainableParams = trainableParamCount(this.model);
  }

  private prepare(steps: number): void {
    const n = steps * this.batchSize;
    if (this.xs && this.xs.shape[0] === n) return;
    this.release();
    const d = this.data;
    const stride = Math.max(1, Math.floor(d.trainIndices.length / n));
    const indices = Int32Array.from({ length: n }, (_, i) => d.trainIndices[(i * stride) % d.trainIndices.length]);
    const images = new Float32Array(n * d.imageSize);
    const labels = new Int32Array(n);
    d.fillBatch(indices, images, labels);
    this.xs = tf.tensor4d(images, [n, d.height, d.width, d.channels]);
    this.ys = tf.tensor1d(labels, 'float32');
  }

  async sample(steps: number): Promise<number> {
    this.prepare(steps);
    const fit = () =>
      this.model.fit(this.xs as tf.Tensor4D, this.ys as tf.Tensor1D, {
        batchSize: this.batchSize,
        epochs: 1,
        shuffle: false,
        verbose: 0,
      });
    const t0 = performance.now();
    await (this.im2colGrad ? withIm2colConvFilterGradient(fit) : fit());
    return (performance.now() - t0) / steps;
  }

  /** The model applied in training mode to one batch at a time, with model.fit's loss (sparse CE). */
  async forward(passes: number): Promise<number> {
    this.prepare(passes);
    const b = this.batchSize;
    const xs = this.xs as tf.Tensor4D;
    const ys = this.ys as tf.Tensor1D;
    const t0 = performance.now();
    for (let i = 0; i < passes; i++) {
      const loss = tf.tidy(() => {
        const probs = this.model.apply(tf.slice(xs, [i * b], [b]), { training: true }) as tf.Tensor2D;
        const labels = tf.cast(tf.slice(ys, [i * b], [b]), 'int32') as tf.Tensor1D;
        const picked = tf.sum(tf.mul(probs, tf.oneHot(labels, probs.shape[1])), 1);
        return tf.neg(tf.mean(tf.log(tf.maximum(picked, 1e-7))));
      });
      await loss.data();
      loss.dispose();
    }
    return (performance.now() - t0) / passes;
  }

  private release(): void {
    this.xs?.dispose();
    this.ys?.dispose();
    this.xs = null;
    this.ys = null;
  }

  async dispose(): Promise<void> {
    this.release();
    // compile() was given an optimizer instance, which the model does not own or dispose.
    this.model.optimizer?.dispose();
    this.model.dispose();
  }
}

/** A readable reason for a variant that failed to run. */
export function unavailableReason(error: unknown, backend: string): string {
  const text = error instanceof Error ? error.message : String(error);
  const kernel = /Kernel '([A-Za-z0-9]+)' not registered/.exec(text);
  if (kernel) return `${backend} lacks ${kernel[1]}`;
  return text.split('\n')[0].slice(0, 200);
}

function createRunner(
  variant: StepVariantId,
  depth: BenchDepth,
  width: RunConfig['width'],
  batchSize: number,
  data: ImageDataset,
  backend: string,
): StepRunner {
  if (variant === 'layers' || variant === 'layersIm2col') {
    return new LayersRunner(depth, width, batchSize, data, variant === 'layersIm2col');
  }
  return new TrainerRunner(benchConfig(variant, depth, width, batchSize, backend), data);
}

/** A variant that is known not to run (or not needed) on this backend, and why. */
function whyNotRun(variant: StepVariantId, backend: string): Pick<VariantTiming, 'unavailable' | 'skipped'> | null {
  const native = tf.getKernel(FILTER_GRAD_KERNEL, backend) !== undefined;
  // tf.layers' conv layers differentiate through tf.conv2d's gradient, which needs the kernel:
  // model.fit fails with "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'".
  if (variant === 'layers' && !native) return { unavailable: `${backend} lacks ${FILTER_GRAD_KERNEL}` };
  if (variant === 'layersIm2col' && native) return { skipped: `${backend} has ${FILTER_GRAD_KERNEL}` };
  return null;
}

function pairedRatio(
  a: VariantTiming | undefined,
  b: VariantTiming | undefined,
): number | null {
  if (!a || !b || a.msPerStep === null || b.msPerStep === null) return null;
  const n = Math.min(a.samples.length, b.samples.length);
  if (n === 0) return null;
  return median(Array.from({ length: n }, (_, i) => a.samples[i] / b.samples[i]));
}

/** Runs the suite on the active backend. */
export async function runStepBench(opts: StepBenchOptions): Promise<StepBenchResult> {
  const backend = tf.getBackend();
  const depths = opts.depths ?? [8, 20];
  const width = opts.width ?? 16;
  const batchSize = opts.batchSize ?? 32;
  const variants = opts.variants ?? STEP_VARIANTS;
  const totalRounds = opts.warmupRounds + opts.rounds;
  const total = depths.length * variants.length * totalRounds;
  const tensorsBefore = tf.memory().numTensors;
  const start = performance.now();
  let done = 0;
  const out: DepthTiming[] = [];

  for (const depth of depths) {
    const runners = new Map<StepVariantId, StepRunner>();
    const timings = new Map<StepVariantId, VariantTiming>();
    for (const variant of variants) {
      const timing: VariantTiming = {
        variant,
        label: STEP_VARIANT_LABELS[variant],
        msPerStep: null,
        samples: [],
        msPerForward: null,
        forwardSamples: [],
        stepOverForward: null,
      };
      timings.set(variant, timing);
      const skip = whyNotRun(variant, backend);
      if (skip) {
        Object.assign(timing, skip);
        continue;
      }
      try {
        const runner = createRunner(variant, depth, width, batchSize, opts.data, backend);
        runners.set(variant, runner);
        timing.trainableParams = runner.trainableParams;
      } catch (e) {
        timing.unavailable = unavailableReason(e, backend);
      }
    }
    for (let round = 1; round <= totalRounds; round++) {
      await opts.beforeRound?.(depth, round);
      const warmup = round <= opts.warmupRounds;
      const shift = (round - 1) % variants.length;
      const order = [...variants.slice(shift), ...variants.slice(0, shift)];
      for (const variant of order) {
        const timing = timings.get(variant) as VariantTiming;
        const runner = runners.get(variant);
        let ms: number | null = null;
        let fwd: number | null = null;
        if (runner) {
          try {
            ms = await runner.sample(opts.stepsPerSample);
            fwd = await runner.forward(opts.stepsPerSample);
            if (!warmup) {
              timing.samples.push(ms);
              timing.forwardSamples.push(fwd);
            }
          } catch (e) {
            timing.unavailable = unavailableReason(e, backend);
            runners.delete(variant);
            await runner.dispose().catch(() => undefined);
          }
        }
        done++;
        // A variant that cannot run is reported once, not every round.
        if (ms !== null || round === 1) {
          opts.onProgress?.({ backend, depth, variant, round, totalRounds, warmup, msPerStep: ms, msPerForward: fwd, done, total });
        }
      }
    }
    for (const runner of runners.values()) await runner.dispose();
    for (const t of timings.values()) {
      if (t.unavailable === undefined && t.samples.length > 0) {
        t.msPerStep = median(t.samples);
        t.msPerForward = median(t.forwardSamples);
        t.stepOverForward = median(t.samples.map((v, i) => v / t.forwardSamples[i]));
      } else {
        t.samples = [];
        t.forwardSamples = [];
      }
    }
    const binary = timings.get('binary');
    const fp = timings.get('fp');
    const plain = timings.get('layers');
    const layersVariant =
      plain?.msPerStep != null ? 'layers' : timings.get('layersIm2col')?.msPerStep != null ? 'layersIm2col' : null;
    const layers = layersVariant ? timings.get(layersVariant) : undefined;
    out.push({
      depth,
      variants: variants.map((v) => timings.get(v) as VariantTiming),
      ratios: {
        binaryOverFp: pairedRatio(binary, fp),
        fpOverLayers: pairedRatio(fp, layers),
        binaryOverLayers: pairedRatio(binary, layers),
        layersVariant,
      },
    });
  }
  return {
    backend,
    settings: {
      dataset: opts.data.name,
      width,
      batchSize,
      warmupRounds: opts.warmupRounds,
      rounds: opts.rounds,
      stepsPerSample: opts.stepsPerSample,
    },
    depths: out,
    tensorDelta: tf.memory().numTensors - tensorsBefore,
    totalMs: performance.now() - start,
  };
}
