import seedrandom from 'seedrandom';
import { inputShapeOf, needsTeacher, type RunConfig } from '../bnn/config';
import { BnnModel } from '../bnn/model/model';
import { Trainer } from '../bnn/train/trainer';
import { DATASETS } from '../data/catalog';
import { datasetFromArrays, type ImageDataset } from '../data/dataset';

/**
 * The time of one training step of a config on this device, for the duration estimate shown
 * before a run starts. It runs the real Trainer (forward, backward, optimiser, BN statistics,
 * the loss terms the config switches on) on random images of the config's input shape: a
 * step's time does not depend on the pixel values, and no dataset has to be downloaded.
 * The first step (kernel compilation, optimiser slots) is not counted; the result is the
 * median of the others.
 */
export async function measureStepMs(config: RunConfig, timedSteps: number): Promise<{ msPerStep: number; steps: number }> {
  if (!Number.isInteger(timedSteps) || timedSteps < 1) throw new RangeError(`timedSteps must be a positive integer, got ${timedSteps}`);
  const data = randomImages(config);
  const probe: RunConfig = { ...config, steps: timedSteps + 1, evalEvery: 1_000_000, evalLimit: 0, bnCalibration: 0, teacherRunId: null };
  const teacher = needsTeacher(config) ? BnnModel.create(teacherShapeOf(config), data.numClasses) : undefined;
  const times: number[] = [];
  const trainer = new Trainer(probe, data, { onStep: (m) => times.push(m.ms) }, { teacher, statsEvery: 0 });
  try {
    const outcome = await trainer.run();
    if (outcome.status !== 'finished') throw new Error(outcome.message ?? `the measurement ${outcome.status}`);
  } finally {
    trainer.dispose();
    teacher?.dispose();
  }
  const timed = times.slice(1).sort((a, b) => a - b);
  return { msPerStep: timed[Math.floor(timed.length / 2)], steps: timed.length };
}

/** A full-precision network of the student's architecture: what a distillation step also runs. */
function teacherShapeOf(c: RunConfig): RunConfig {
  return { ...c, precision: 'full', weightTransform: 'none', activationEstimator: 'ste', weightEstimator: 'ste', restriction: false, distill: false, kd: false, teacherRunId: null };
}

/** Two batches of seeded random train images and a few test images, shaped like the config's dataset. */
function randomImages(config: RunConfig): ImageDataset {
  const [h, w, c] = inputShapeOf(config.dataset);
  const classNames = DATASETS[config.dataset].classNames;
  const train = 2 * config.batchSize;
  const test = 10;
  const count = train + test;
  const rng = seedrandom.alea('measure-step');
  const images = new Uint8Array(count * h * w * c);
  for (let i = 0; i < images.length; i++) images[i] = Math.floor(rng() * 256);
  const labels = Array.from({ length: count }, (_, i) => i % classNames.length);
  return datasetFromArrays({
    name: config.dataset,
    images,
    labels,
    h,
    w,
    c,
    classNames,
    trainIndices: Int32Array.from({ length: train }, (_, i) => i),
    testIndices: Int32Array.from({ length: test }, (_, i) => train + i),
  });
}
