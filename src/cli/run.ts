/**
 * One headless training run written to a folder — the body of `npm run train` and of every
 * cell of `npm run ablation`. It drives the browser's Trainer unchanged and writes:
 *
 *   model.safetensors  the export format (docs/EXPORT_FORMAT.md), via exportModel
 *   metrics.json       RunMetrics below (format 'bnn-playground-metrics', version 1)
 *   predictions.json   [{ index, label, predicted, logits }] for every test image, in test-split
 *                      order; index is the image's position in the dataset's canonical order,
 *                      logits the model's float32 logits (shortest decimals that read back exactly)
 *
 * metrics.json (every number plain JSON; accuracies in [0, 1], times in ms):
 *   format, version        'bnn-playground-metrics', 1
 *   config                 the RunConfig trained (validated by parseRunConfig)
 *   preset                 the preset whose toggles the config matches, or null
 *   backend                tfjs backend actually used ('wasm' | 'cpu')
 *   environment            { node, platform, cpus, tfjs }
 *   dataset                { name, trainImages, testImages, classNames }
 *   teacher                null, or { source: 'file' | 'trained', path, testAccuracy } (RBD runs)
 *   outcome                { status: 'finished' | 'stopped' | 'failed', steps, message }
 *   final                  { testAccuracy, testLoss, testImages, weightEntropy, activationEntropy,
 *                          movingAverage }
 *                          (testAccuracy/testLoss after sequential BN calibration on
 *                          config.bnCalibration training images, bn-calibration.ts, or with the
 *                          BN moving averages when it is 0; entropies: mean over binary convs at
 *                          the last measurement, null for FP; movingAverage: the same test images
 *                          with the moving averages, { testAccuracy, testLoss }, null when the run
 *                          was not calibrated)
 *   steps[]                per step: { step, epoch, loss, ce, accuracy, lr, t, k, ms, gradNorm }
 *                          (accuracy = batch accuracy; ms = wall time of the step)
 *   evals[]                per evaluation: { step, testAccuracy, testLoss, movingAccuracy, movingLoss }
 *                          (moving*: the final evaluation of a calibrated run, else null)
 *   layerStats[]           per measurement: { step, meanWeightEntropy, meanActivationEntropy,
 *                          meanFlipRatio, meanFlippedSinceInit, maxSignDisagreement, maskKeep
 *                          (restriction runs: share of probe pixels the mask keeps), layers: [{
 *                          name, weightEntropy, weightEntropyMin, weightEntropyStd,
 *                          activationEntropy, activationEntropyMin, activationEntropyStd,
 *                          flipRatio, flippedSinceInit, gradNorm, quantError, weightGradShare,
 *                          activationGradShare, signDisagreement }] } (binary models; every field
 *                          as LayerStatsEntry in src/bnn/train/layer-stats.ts; no histograms)
 *   timing                 { trainMs (wall time of Trainer.run), stepMsMean, exportMs, totalMs }
 *   model                  { file, bytes, headerBytes, dataBytes, fullPrecisionBytes, float32Bytes,
 *                          binaryParams, floatParams, bops, flops }: the file's size, its header and
 *                          tensor data; the size of the full-precision export of the same
 *                          architecture (file against file); every parameter as float32 (data only)
 *
 * Everything but the `ms`/timing fields is a function of the config and the backend: two runs
 * with the same seed write the same losses, accuracies and predictions.
 *
 * Over 300 lines because this header is metrics.json's schema, the reference for readers of it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { initBackend } from '../bnn/backend';
import { matchPreset, type PresetName, type RunConfig } from '../bnn/config';
import { BnnModel, summaryFor } from '../bnn/model/model';
import type { ParamSnapshot } from '../bnn/model/params';
import type { LayerStats, LayerStatsEntry } from '../bnn/train/layer-stats';
import { predictTestSplit, type Prediction } from '../bnn/train/predictions';
import { Trainer, type EvalMetrics, type RunOutcome, type StepMetrics } from '../bnn/train/trainer';
import { checkTeacherCompatible } from '../bnn/train/teacher-compatible';
import type { ImageDataset } from '../data/dataset';
import { loadMnistSmallNode } from '../data/mnist-node';
import { loadPackedDatasetNode } from '../data/datasets-node';
import { createShapesDataset } from '../data/shapes';
import { datasetInfoOf, exportModel, predictExportSize } from '../io/export';
import { importModel } from '../io/import';
import { SHAPES_DATASET_SEED } from '../data/load-dataset';
import { ProgressLine, formatDuration, type CliIO } from './args';
import { float32Text } from './float32-text';

export const METRICS_FORMAT = 'bnn-playground-metrics';
export const METRICS_VERSION = 1;
export const MODEL_FILE = 'model.safetensors';
export const METRICS_FILE = 'metrics.json';
export const PREDICTIONS_FILE = 'predictions.json';

export interface LayerStatsSummary {
  step: number;
  meanWeightEntropy: number;
  meanActivationEntropy: number | null;
  meanFlipRatio: number | null;
  /** Mean over binary convs of the share of weight signs changed since initialisation. */
  meanFlippedSinceInit: number;
  /** The worst layer's train/inference sign disagreement (BN health); null without a probe. */
  maxSignDisagreement: number | null;
  /** IR2Net restriction: share of the probe's pixels the mask keeps; null for other runs. */
  maskKeep: number | null;
  layers: LayerStatsEntry[];
}

export interface TeacherInfo {
  source: 'file' | 'trained';
  /** The folder the teacher was read from or written to. */
  path: string | null;
  testAccuracy: number | null;
}

export interface RunMetrics {
  format: typeof METRICS_FORMAT;
  version: typeof METRICS_VERSION;
  config: RunConfig;
  preset: PresetName | null;
  backend: string;
  environment: { node: string; platform: string; cpus: number; tfjs: string };
  dataset: { name: string; trainImages: number; testImages: number; classNames: string[] };
  teacher: TeacherInfo | null;
  outcome: { status: RunOutcome['status']; steps: number; message: string | null };
  final: {
    testAccuracy: number | null;
    testLoss: number | null;
    testImages: number;
    weightEntropy: number | null;
    activationEntropy: number | null;
    movingAverage: { testAccuracy: number; testLoss: number } | null;
  };
  steps: StepMetrics[];
  evals: EvalMetrics[];
  layerStats: LayerStatsSummary[];
  timing: { trainMs: number; stepMsMean: number; exportMs: number; totalMs: number };
  model: {
    file: string;
    bytes: number;
    headerBytes: number;
    dataBytes: number;
    fullPrecisionBytes: number;
    float32Bytes: number;
    binaryParams: number;
    floatParams: number;
    bops: number;
    flops: number;
  };
}

export interface RunResult {
  metrics: RunMetrics;
  predictions: Prediction[];
  /** Final weights (for a teacher trained on the spot). */
  snapshot: ParamSnapshot;
}

/** Start a Node backend (wasm or cpu) and check it is the active one. */
export async function startNodeBackend(name: RunConfig['backend']): Promise<string> {
  if (name === 'webgl' || name === 'webgpu') throw new Error(`the ${name} backend needs a browser; use --backend wasm or cpu in Node`);
  await initBackend(name);
  return tf.getBackend();
}

/** The dataset a config names, as the browser loads it (MNIST file, shapes with the app's seed). */
export function loadDatasetNode(name: RunConfig['dataset']): ImageDataset {
  if (name === 'mnist' || name === 'fashion-mnist') return loadPackedDatasetNode(name);
  if (name === 'mnist-small') return loadMnistSmallNode();
  if (name === 'shapes') return createShapesDataset({ seed: SHAPES_DATASET_SEED });
  throw new Error('CIFAR-10 is not available from the command line: the app loads it from uploaded batches');
}

function mean(v: readonly number[]): number {
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
}

function meanOrNull(v: readonly (number | null)[]): number | null {
  const x = v.filter((e): e is number => e !== null && Number.isFinite(e));
  return x.length ? mean(x) : null;
}

export function summarizeLayerStats(s: LayerStats): LayerStatsSummary {
  return {
    step: s.step,
    meanWeightEntropy: mean(s.layers.map((l) => l.weightEntropy)),
    meanActivationEntropy: meanOrNull(s.layers.map((l) => l.activationEntropy)),
    meanFlipRatio: meanOrNull(s.layers.map((l) => l.flipRatio)),
    meanFlippedSinceInit: mean(s.layers.map((l) => l.flippedSinceInit)),
    maxSignDisagreement: s.layers.some((l) => l.signDisagreement !== null) ? Math.max(...s.layers.map((l) => l.signDisagreement ?? 0)) : null,
    maskKeep: s.maskKeep ?? null,
    layers: s.layers.map((l) => ({ ...l })),
  };
}

export interface TrainRunOptions {
  config: RunConfig;
  data: ImageDataset;
  /** Output folder (created). */
  out: string;
  io: CliIO;
  /** Label in front of progress lines. */
  label?: string;
  teacher?: { model: BnnModel; info: TeacherInfo };
  /** Layer statistics every this many steps (they are also measured at every evaluation). */
  statsEvery?: number;
  /** Also write the binary convs' latent weights into model.safetensors (so training can go on from it). */
  includeLatent?: boolean;
}

/** Train one config with the browser's Trainer and write the three files into `out`. */
export async function trainRun(opts: TrainRunOptions): Promise<RunResult> {
  const { config, data, out, io } = opts;
  const label = opts.label ?? 'train';
  const started = performance.now();
  mkdirSync(out, { recursive: true });
  const steps: StepMetrics[] = [];
  const evals: EvalMetrics[] = [];
  const layerStats: LayerStatsSummary[] = [];
  const progress = new ProgressLine(io, config.steps, label);
  const recent: number[] = [];
  const trainer = new Trainer(
    config,
    data,
    {
      onStep: (m) => {
        steps.push(m);
        recent.push(m.loss);
        if (recent.length > 20) recent.shift();
        const eta = ((config.steps - m.step) * mean(steps.slice(-20).map((s) => s.ms))) / 1000;
        progress.update(m.step, `loss ${mean(recent).toFixed(3)}  ${m.ms.toFixed(0)} ms/step  eta ${formatDuration(eta * 1000)}`);
      },
      onEval: (m) => {
        evals.push(m);
        progress.note(`step ${m.step}: test accuracy ${(100 * m.testAccuracy).toFixed(2)}%, test loss ${m.testLoss.toFixed(4)}`);
      },
      onLayerStats: (s) => layerStats.push(summarizeLayerStats(s)),
    },
    { teacher: opts.teacher?.model, statsEvery: opts.statsEvery ?? 50 },
  );
  try {
    const t0 = performance.now();
    const outcome = await trainer.run();
    const trainMs = performance.now() - t0;
    progress.done();
    const predictions = await predictTestSplit(trainer.model, data);
    const snapshot = await trainer.snapshot();
    const lastEval = evals.at(-1);
    const e0 = performance.now();
    const exportInput = { config, dataset: datasetInfoOf(data), testAccuracy: lastEval?.testAccuracy ?? null, includeLatent: opts.includeLatent === true };
    const bytes = await exportModel({ ...exportInput, params: snapshot });
    const size = predictExportSize(exportInput);
    const exportMs = performance.now() - e0;
    writeFileSync(join(out, MODEL_FILE), bytes);
    const summary = summaryFor(config, data.numClasses);
    const lastStats = layerStats.at(-1);
    const metrics: RunMetrics = {
      format: METRICS_FORMAT,
      version: METRICS_VERSION,
      config,
      preset: matchPreset(config),
      backend: tf.getBackend(),
      environment: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length, tfjs: tf.version.tfjs },
      dataset: { name: data.name, trainImages: data.trainIndices.length, testImages: data.testIndices.length, classNames: [...data.classNames] },
      teacher: opts.teacher?.info ?? null,
      outcome: { status: outcome.status, steps: outcome.steps, message: outcome.message ?? null },
      final: {
        testAccuracy: lastEval?.testAccuracy ?? null,
        testLoss: lastEval?.testLoss ?? null,
        testImages: outcome.lastEval?.count ?? 0,
        weightEntropy: lastStats?.meanWeightEntropy ?? null,
        activationEntropy: lastStats?.meanActivationEntropy ?? null,
        movingAverage:
          lastEval && typeof lastEval.movingAccuracy === 'number'
            ? { testAccuracy: lastEval.movingAccuracy, testLoss: lastEval.movingLoss ?? NaN }
            : null,
      },
      steps,
      evals,
      layerStats,
      timing: { trainMs, stepMsMean: mean(steps.map((s) => s.ms)), exportMs, totalMs: performance.now() - started },
      model: {
        file: MODEL_FILE,
        bytes: bytes.length,
        headerBytes: size.headerBytes,
        dataBytes: size.dataBytes,
        fullPrecisionBytes: size.fullPrecision.bytes,
        float32Bytes: size.float32Bytes,
        binaryParams: summary.binaryParams,
        floatParams: summary.floatParams,
        bops: summary.bops,
        flops: summary.flops,
      },
    };
    writeFileSync(join(out, METRICS_FILE), `${JSON.stringify(metrics, null, 1)}\n`);
    writeFileSync(join(out, PREDICTIONS_FILE), predictionsJson(predictions));
    return { metrics, predictions, snapshot };
  } finally {
    trainer.dispose();
  }
}

/** predictions.json: one prediction per line, logits as the shortest decimals that are the same float32. */
export function predictionsJson(predictions: readonly Prediction[]): string {
  const lines = predictions.map(
    (p) => `{"index":${p.index},"label":${p.label},"predicted":${p.predicted},"logits":[${p.logits.map(float32Text).join(',')}]}`,
  );
  return `[\n${lines.join(',\n')}\n]\n`;
}

/**
 * A full-precision teacher read from a previous run's folder (its model.safetensors), checked
 * against the student's architecture. The caller disposes the model.
 */
export function loadTeacherDir(dir: string, student: RunConfig, classes: number): { model: BnnModel; info: TeacherInfo } {
  let bytes: Uint8Array;
  const file = join(dir, MODEL_FILE);
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new Error(`cannot read the teacher model ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  // A plain Uint8Array copy: Buffer.slice() returns a view, which the safetensors reader's copy
  // path would misread (it takes .buffer from offset 0).
  const imported = importModel(Uint8Array.from(bytes));
  const problem = checkTeacherCompatible(student, imported.config);
  if (problem) throw new Error(`${file}: ${problem}`);
  if (!imported.snapshot) throw new Error(`${file}: the file holds no full-precision weights`);
  return {
    model: BnnModel.fromSnapshot(imported.config, classes, imported.snapshot),
    info: { source: 'file', path: dir, testAccuracy: imported.testAccuracy },
  };
}

/** The full-precision teacher config for a student: the same run with FP toggles and no teacher. */
export function teacherConfigFor(student: RunConfig): RunConfig {
  return {
    ...student,
    precision: 'full',
    weightTransform: 'none',
    activationEstimator: 'ste',
    weightEstimator: 'ste',
    restriction: false,
    distill: false,
    kd: false,
    teacherRunId: null,
  };
}
