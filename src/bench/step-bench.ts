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
import type { ImageDataset } from '../data/dataset';
import { STEP_VARIANTS, STEP_VARIANT_LABELS, type StepVariantId } from './step-bench-variants';
import { createRunner, type StepRunner } from './step-bench-runners';

export { STEP_VARIANTS, STEP_VARIANT_LABELS, type StepVariantId } from './step-bench-variants';
export { benchConfig } from './step-bench-runners';

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

/** Median of a list (NaN when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A readable reason for a variant that failed to run. */
export function unavailableReason(error: unknown, backend: string): string {
  const text = error instanceof Error ? error.message : String(error);
  const kernel = /Kernel '([A-Za-z0-9]+)' not registered/.exec(text);
  if (kernel) return `${backend} lacks ${kernel[1]}`;
  return text.split('\n')[0].slice(0, 200);
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
