import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../bnn/config';
import type { ImageDataset } from '../data/dataset';
import { forward } from '../bnn/model/forward';
import { trainingObjective } from '../bnn/train/objective';
import { lossTermsFor } from '../bnn/train/terms';
import { Trainer, type TrainPhase } from '../bnn/train/trainer';

/**
 * Where a training step's time goes (`npm run profile:train`): the Trainer's own phases (batch
 * assembly, forward + backward, the metrics read-back, the optimiser, the BN moving statistics,
 * layer statistics and evaluations amortised per step), the forward pass alone in training and
 * in inference mode on the same batch, and the time per tfjs kernel of one forward + backward
 * (tf.profile). Runs in Node, on a page or in a Worker; the caller starts the backend.
 */
export interface TrainProfile {
  backend: string;
  config: RunConfig;
  /** Measured steps (after warm-up). */
  steps: number;
  /** Mean ms per step of the Trainer's step time (what StepMetrics.ms reports). */
  stepMs: number;
  /** Mean ms per measured step of each phase; layer statistics and evaluations are per step amortised. */
  phases: { phase: TrainPhase; ms: number }[];
  /** Mean ms of one forward pass of a batch in training mode (BN batch statistics) and in inference mode. */
  forwardTrainingMs: number;
  forwardInferenceMs: number;
  /** Kernels of one forward + backward, by name: calls and summed ms, largest first. */
  kernels: { name: string; calls: number; ms: number }[];
  /** Peak bytes of tensors alive during the profiled forward + backward (tf.profile's peakBytes). */
  peakBytes: number;
  /** Tensors alive after the run (a leak shows as growth over steps). */
  tensorsBefore: number;
  tensorsAfter: number;
  /** tf.memory() after the first and the last measured step: equal counts mean no per-step leak. */
  memoryFirstStep: { numTensors: number; numBytes: number };
  memoryLastStep: { numTensors: number; numBytes: number };
}

export async function profileTraining(opts: { config: RunConfig; data: ImageDataset; steps: number; warmup: number; repeats?: number; statsEvery?: number }): Promise<TrainProfile> {
  const { data, steps, warmup } = opts;
  const config: RunConfig = { ...opts.config, steps: warmup + steps, evalEvery: opts.config.evalEvery };
  const sums = new Map<TrainPhase, number>();
  const stepMs: number[] = [];
  let step = 0;
  let memoryFirstStep = { numTensors: 0, numBytes: 0 };
  let memoryLastStep = memoryFirstStep;
  const trainer = new Trainer(
    config,
    data,
    {
      onStep: (m) => {
        step = m.step;
        if (m.step <= warmup) return;
        stepMs.push(m.ms);
        const { numTensors, numBytes } = tf.memory();
        memoryLastStep = { numTensors, numBytes };
        if (m.step === warmup + 1) memoryFirstStep = memoryLastStep;
      },
      onLayerStats: () => undefined,
    },
    {
      statsEvery: opts.statsEvery ?? 0,
      onPhase: (phase, ms) => {
        // phases of the step being timed: `step` still holds the previous step's number here
        if (step >= warmup) sums.set(phase, (sums.get(phase) ?? 0) + ms);
      },
    },
  );
  const tensorsBefore = tf.memory().numTensors;
  try {
    await trainer.run();
    const tensorsAfter = tf.memory().numTensors;
    const { forwardTrainingMs, forwardInferenceMs, kernels, peakBytes } = await profileForward(trainer, config, data, opts.repeats ?? 5);
    const order: TrainPhase[] = ['batch', 'forward+backward', 'read-back', 'optimizer', 'bn-moving-stats', 'layer-stats', 'evaluation'];
    return {
      backend: tf.getBackend(),
      config,
      steps,
      stepMs: stepMs.reduce((a, b) => a + b, 0) / Math.max(1, stepMs.length),
      phases: order.map((phase) => ({ phase, ms: (sums.get(phase) ?? 0) / steps })),
      forwardTrainingMs,
      forwardInferenceMs,
      kernels,
      peakBytes,
      tensorsBefore,
      tensorsAfter,
      memoryFirstStep,
      memoryLastStep,
    };
  } finally {
    trainer.dispose();
  }
}

async function profileForward(trainer: Trainer, config: RunConfig, data: ImageDataset, repeats: number) {
  const model = trainer.model;
  const n = config.batchSize;
  const buf = new Float32Array(n * data.imageSize);
  const labels = new Int32Array(n);
  data.fillBatch(data.trainIndices.subarray(0, n), buf, labels);
  const x = tf.tensor4d(buf, [n, data.height, data.width, data.channels]);
  const y = tf.tensor1d(labels, 'int32');
  const quant = model.quant(trainer.tkAt(0));
  const time = async (f: () => tf.Tensor): Promise<number> => {
    (await tf.tidy(f).data(), undefined); // warm
    const t0 = performance.now();
    for (let i = 0; i < repeats; i++) {
      const r = tf.tidy(f);
      await r.data();
      r.dispose();
    }
    return (performance.now() - t0) / repeats;
  };
  try {
    const forwardTrainingMs = await time(() => forward(model.arch, model.params, x, { training: true, quant }).logits);
    const forwardInferenceMs = await time(() => forward(model.arch, model.params, x, { training: false, quant }).logits);
    const terms = lossTermsFor({ ...config, distill: false, kd: false }, undefined, trainer.restrictionErase());
    const profile = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => trainingObjective(model, quant, x, y, terms).total, model.params.trainable());
      tf.dispose([value, ...Object.values(grads)]);
    });
    const byName = new Map<string, { calls: number; ms: number }>();
    for (const k of profile.kernels) {
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      const e = byName.get(k.name) ?? { calls: 0, ms: 0 };
      e.calls++;
      e.ms += ms;
      byName.set(k.name, e);
    }
    const kernels = [...byName.entries()].map(([name, e]) => ({ name, ...e })).sort((a, b) => b.ms - a.ms);
    return { forwardTrainingMs, forwardInferenceMs, kernels, peakBytes: profile.peakBytes };
  } finally {
    tf.dispose([x, y]);
  }
}
