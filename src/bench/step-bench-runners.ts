/**
 * What the training-step benchmark (step-bench.ts) times: our Trainer, paused and resumed in blocks
 * of steps, and the same FP network as a tf.layers model trained with model.fit; each also times
 * forward passes of a fixed batch. No Node or DOM APIs.
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_CONFIG, type RunConfig } from '../bnn/config';
import type { ImageDataset } from '../data/dataset';
import { Trainer } from '../bnn/train/trainer';
import { trainingObjective } from '../bnn/train/objective';
import type { StepVariantId } from './step-bench-variants';
import type { BenchDepth } from './step-bench';
import { compiledLayersResNet, trainableParamCount, withIm2colConvFilterGradient } from './layers-baseline';

/** One timed thing: `sample(k)` runs k training steps, `forward(k)` k forward passes; ms per one. */
export interface StepRunner {
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

export function createRunner(
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

