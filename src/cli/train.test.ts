import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RunConfigSchema } from '../bnn/config';
import { predictionAccuracy } from '../bnn/train/predictions';
import { evaluationIndices } from '../bnn/train/evaluate';
import * as tf from '@tensorflow/tfjs';
import { createInferenceModel, importModel } from '../io/import';
import { logitsOf } from '../io/model-file-testing';
import { binaryWeightsFromSnapshot } from '../bnn/model/binary-weights';
import { getWeightTransform } from '../bnn/quantizers/registry';
import { useBackend } from '../test/tf';
import { loadMnistSmallNode } from '../data/mnist-node';
import type { CliIO } from './args';
import { main } from './train';
import type { RunMetrics } from './run';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let tmp: string;

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'bnn-train-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function io(): CliIO & { out: string; err: string } {
  const c = { out: '', err: '', isTTY: false, stdout: (t: string) => void (c.out += t), stderr: (t: string) => void (c.err += t) };
  return c;
}

/** Tiny runs: ResNet-8 width 8, batch 4, a few steps, evaluation on 100 test images, BN calibrated on 60. */
const TINY = ['--dataset', 'mnist-small', '--depth', '8', '--width', '8', '--batch', '4', '--eval-limit', '100', '--bn-calibration', '60', '--stats-every', '1'];

const nullableNumber = z.number().nullable();
const StepSchema = z
  .object({ step: z.number(), epoch: z.number(), loss: z.number(), ce: z.number(), accuracy: z.number(), lr: z.number(), latentLr: z.number(), t: z.number(), k: z.number(), ms: z.number(), gradNorm: z.number() })
  .strict();
/** metrics.json as documented in src/cli/run.ts and the README. */
const MetricsSchema = z
  .object({
    format: z.literal('bnn-playground-metrics'),
    version: z.literal(1),
    config: RunConfigSchema,
    preset: z.string().nullable(),
    backend: z.enum(['wasm', 'cpu']),
    environment: z.object({ node: z.string(), platform: z.string(), cpus: z.number(), tfjs: z.string() }).strict(),
    dataset: z.object({ name: z.string(), trainImages: z.number(), testImages: z.number(), classNames: z.array(z.string()) }).strict(),
    teacher: z.object({ source: z.enum(['file', 'trained']), path: z.string().nullable(), testAccuracy: nullableNumber }).strict().nullable(),
    outcome: z.object({ status: z.enum(['finished', 'stopped', 'failed']), steps: z.number(), message: z.string().nullable() }).strict(),
    final: z
      .object({
        testAccuracy: nullableNumber,
        testLoss: nullableNumber,
        testImages: z.number(),
        weightEntropy: nullableNumber,
        activationEntropy: nullableNumber,
        movingAverage: z.object({ testAccuracy: z.number().min(0).max(1), testLoss: z.number() }).strict().nullable(),
      })
      .strict(),
    steps: z.array(StepSchema),
    evals: z.array(z.object({ step: z.number(), testAccuracy: z.number(), testLoss: z.number(), movingAccuracy: nullableNumber, movingLoss: nullableNumber }).strict()),
    layerStats: z.array(
      z
        .object({
          step: z.number(),
          meanWeightEntropy: z.number(),
          meanActivationEntropy: nullableNumber,
          meanFlipRatio: nullableNumber,
          meanFlippedSinceInit: z.number().min(0).max(1),
          maxSignDisagreement: nullableNumber,
          maskKeep: nullableNumber,
          layers: z.array(
            z
              .object({
                name: z.string(),
                weightEntropy: z.number(),
                weightEntropyMin: z.number(),
                weightEntropyStd: z.number(),
                activationEntropy: nullableNumber,
                activationEntropyMin: nullableNumber,
                activationEntropyStd: nullableNumber,
                flipRatio: nullableNumber,
                flippedSinceInit: z.number().min(0).max(1),
                gradNorm: nullableNumber,
                quantError: z.number().min(0),
                weightGradShare: z.number().min(0).max(1),
                activationGradShare: nullableNumber,
                signDisagreement: nullableNumber,
              })
              .strict(),
          ),
        })
        .strict(),
    ),
    timing: z.object({ trainMs: z.number(), stepMsMean: z.number(), exportMs: z.number(), totalMs: z.number() }).strict(),
    model: z
      .object({
        file: z.literal('model.safetensors'),
        bytes: z.number(),
        headerBytes: z.number(),
        dataBytes: z.number(),
        fullPrecisionBytes: z.number(),
        float32Bytes: z.number(),
        binaryParams: z.number(),
        floatParams: z.number(),
        bops: z.number(),
        flops: z.number(),
      })
      .strict(),
  })
  .strict();
const PredictionsSchema = z.array(
  z.object({ index: z.number().int(), label: z.number().int(), predicted: z.number().int(), logits: z.array(z.number()).length(10) }).strict(),
);

async function trainTo(dir: string, extra: string[], base: readonly string[] = TINY): Promise<{ metrics: RunMetrics; predictions: z.infer<typeof PredictionsSchema>; model: Uint8Array; out: string }> {
  const c = io();
  const code = await main([...base, ...extra, '--out', dir], c);
  expect(code, c.err).toBe(0);
  const metrics = MetricsSchema.parse(JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'))) as RunMetrics;
  const predictions = PredictionsSchema.parse(JSON.parse(readFileSync(join(dir, 'predictions.json'), 'utf8')));
  return { metrics, predictions, model: readFileSync(join(dir, 'model.safetensors')), out: c.out };
}

/** Everything in metrics.json except wall times. */
function deterministicPart(m: RunMetrics) {
  return { steps: m.steps.map(({ ms: _ms, ...rest }) => rest), evals: m.evals, layerStats: m.layerStats, final: m.final, config: m.config };
}

describe('npm run train', () => {
  it('trains a tiny IR-Net config and writes the three files with the documented schema', async () => {
    const dir = join(tmp, 'irnet');
    const { metrics, predictions, model, out } = await trainTo(dir, ['--preset', 'irnet', '--steps', '3', '--eval-every', '2', '--seed', '3']);
    expect(metrics.preset).toBe('irnet');
    expect(metrics.config).toMatchObject({ weightTransform: 'librapb', activationEstimator: 'ede', weightEstimator: 'ede', depth: 8, width: 8, batchSize: 4, steps: 3, seed: 3 });
    expect(metrics.backend).toBe('wasm');
    expect(metrics.outcome).toEqual({ status: 'finished', steps: 3, message: null });
    expect(metrics.steps.map((s) => s.step)).toEqual([1, 2, 3]);
    expect(metrics.evals.map((e) => e.step)).toEqual([2, 3]);
    expect(metrics.layerStats.map((s) => s.step)).toEqual([1, 2, 3]);
    expect(metrics.final.testAccuracy).toBe(metrics.evals[1].testAccuracy);
    expect(metrics.final.testImages).toBe(100);
    expect(metrics.final.weightEntropy).toBeGreaterThan(0.9); // Libra-PB balances the signs
    expect(metrics.model.bytes).toBe(model.length);
    // calibrated runs also report the final accuracy with the BN moving averages
    expect(metrics.final.movingAverage?.testAccuracy).toBe(metrics.evals[1].movingAccuracy);
    expect(metrics.evals[0].movingAccuracy).toBeNull();

    // predictions: the whole test split in order, canonical indices, consistent with the evaluation
    const mnist = loadMnistSmallNode();
    expect(predictions.map((p) => p.index)).toEqual(Array.from(mnist.testIndices));
    expect(predictions.every((p) => p.label === mnist.label(p.index) && p.predicted >= 0 && p.predicted < 10)).toBe(true);
    // the run evaluated a stratified sample of 100 test images; its predictions there give its accuracy
    const evaluated = new Set(evaluationIndices(mnist, 100));
    expect(evaluated.size).toBe(100);
    expect(predictionAccuracy(predictions.filter((p) => evaluated.has(p.index)))).toBe(metrics.final.testAccuracy);

    // the model file is the export format and carries the same config and accuracy
    const imported = importModel(model);
    expect(imported.config).toEqual(metrics.config);
    expect(imported.testAccuracy).toBe(metrics.final.testAccuracy);
    expect(imported.hasLatent).toBe(false);
    expect(metrics.model.headerBytes + metrics.model.dataBytes + 8).toBe(model.length);
    expect(metrics.model.fullPrecisionBytes).toBeGreaterThan(5 * model.length);
    expect(out).toMatch(/model {6}\d+\.\d KiB exported \(header \d+\.\d KiB \+ data \d+\.\d KiB\); the full-precision export of this architecture: \d+\.\d KiB \(\d+\.\d× the file\)/);

    // logits: decimals that read back as the model's float32 logits, whose argmax (the lowest
    // class on ties) is the prediction, and exactly the imported file's logits
    for (const p of predictions) {
      const f32 = p.logits.map(Math.fround);
      expect(f32.indexOf(Math.max(...f32))).toBe(p.predicted);
    }
    await useBackend('wasm');
    const first = predictions.slice(0, 16);
    const batch = new Float32Array(first.length * mnist.imageSize);
    mnist.fillBatch(first.map((p) => p.index), batch, new Int32Array(first.length));
    const inference = createInferenceModel(imported);
    const x = tf.tensor4d(batch, [first.length, 28, 28, 1]);
    expect(logitsOf(inference, x)).toEqual(first.flatMap((p) => p.logits.map(Math.fround)));
    x.dispose();
    inference.dispose();

    expect(out).toMatch(/IR-Net: ResNet-8, width 8/);
    expect(out).toMatch(/test {7}accuracy \d+\.\d\d%/);
    expect(out.split('\n').length).toBeLessThan(25);
  });

  it('--latent writes the latent weights, whose transformed signs are the file\'s bits', async () => {
    const { model, metrics } = await trainTo(join(tmp, 'latent'), ['--preset', 'irnet', '--steps', '2', '--seed', '3', '--latent']);
    const imported = importModel(model);
    expect(imported.hasLatent).toBe(true);
    expect(metrics.model.bytes).toBe(model.length);
    await useBackend('wasm');
    const fromLatent = await binaryWeightsFromSnapshot(imported.arch, imported.snapshot!, getWeightTransform(imported.config.weightTransform));
    expect(fromLatent).toEqual(imported.binary);
  });

  it('--bn-calibration 0 evaluates with the BN moving averages only; N > 0 recalibrates on N training images first', async () => {
    const uncalibrated = [...TINY.slice(0, TINY.indexOf('--bn-calibration')), ...TINY.slice(TINY.indexOf('--bn-calibration') + 2), '--bn-calibration', '0'];
    const off = await trainTo(join(tmp, 'bn-off'), ['--preset', 'irnet', '--steps', '2', '--seed', '3'], uncalibrated);
    expect(off.metrics.final.movingAverage).toBeNull();
    expect(off.out).not.toMatch(/moving BN/);
    const on = await trainTo(join(tmp, 'bn-on'), ['--preset', 'irnet', '--steps', '2', '--seed', '3']);
    // the same weights: the accuracy with the moving averages is what the uncalibrated run reports
    expect(on.metrics.final.movingAverage).toEqual({ testAccuracy: off.metrics.final.testAccuracy, testLoss: off.metrics.final.testLoss });
    expect(on.out).toMatch(/moving BN  accuracy \d+\.\d\d%, loss \d+\.\d{4} with the BN moving averages \(above: calibrated on 60 training images\)/);
  });

  it('gives identical metrics, predictions and model for the same seed', async () => {
    const args = ['--preset', 'vanilla', '--steps', '3', '--eval-every', '3', '--seed', '11'];
    const a = await trainTo(join(tmp, 'same-a'), args);
    const b = await trainTo(join(tmp, 'same-b'), args);
    expect(deterministicPart(b.metrics)).toEqual(deterministicPart(a.metrics));
    expect(b.metrics.steps.map((s) => s.loss)).toEqual(a.metrics.steps.map((s) => s.loss));
    expect(b.metrics.steps.map((s) => s.accuracy)).toEqual(a.metrics.steps.map((s) => s.accuracy));
    expect(b.predictions).toEqual(a.predictions);
    expect(Buffer.from(b.model).equals(Buffer.from(a.model))).toBe(true);
    // and a different seed trains differently
    const c = await trainTo(join(tmp, 'other-seed'), [...args.slice(0, -1), '12']);
    expect(c.metrics.steps.map((s) => s.loss)).not.toEqual(a.metrics.steps.map((s) => s.loss));
  });

  it('reads a RunConfig JSON file; flags override it', async () => {
    const file = join(tmp, 'cfg.json');
    writeFileSync(file, JSON.stringify({ precision: 'binary', weightTransform: 'xnor', activationEstimator: 'approxsign', weightEstimator: 'approxsign', steps: 2, evalEvery: 1, seed: 4, lr: 0.002 }));
    const { metrics } = await trainTo(join(tmp, 'from-file'), ['--config', file, '--seed', '5']);
    expect(metrics.config).toMatchObject({ weightTransform: 'xnor', activationEstimator: 'approxsign', weightEstimator: 'approxsign', steps: 2, evalEvery: 1, lr: 0.002, seed: 5, width: 8 });
    expect(metrics.preset).toBeNull();
    expect(metrics.evals.map((e) => e.step)).toEqual([1, 2]);
  });

  it('trains DIR-Net from a teacher folder or a teacher it trains first', async () => {
    const fpDir = join(tmp, 'fp');
    const fp = await trainTo(fpDir, ['--preset', 'fp', '--steps', '2', '--seed', '2']);
    expect(fp.metrics.final.weightEntropy).toBeNull();
    expect(fp.metrics.layerStats).toEqual([]);
    const fromFile = await trainTo(join(tmp, 'dir-file'), ['--preset', 'dirnet', '--steps', '2', '--seed', '2', '--teacher', fpDir]);
    expect(fromFile.metrics.teacher).toEqual({ source: 'file', path: fpDir, testAccuracy: fp.metrics.final.testAccuracy });
    expect(fromFile.metrics.config.distill).toBe(true);

    const dir = join(tmp, 'dir-trained');
    const trained = await trainTo(dir, ['--preset', 'dirnet', '--steps', '2', '--seed', '2', '--train-teacher']);
    expect(trained.metrics.teacher?.source).toBe('trained');
    const teacherMetrics = JSON.parse(readFileSync(join(dir, 'teacher', 'metrics.json'), 'utf8')) as RunMetrics;
    expect(teacherMetrics.config.precision).toBe('full');
    // the teacher trained here is the same run as the FP run above (same settings and seed)
    expect(deterministicPart(teacherMetrics).steps).toEqual(deterministicPart(fp.metrics).steps);
    expect(trained.metrics.steps.map((s) => s.loss)).toEqual(fromFile.metrics.steps.map((s) => s.loss));
  });
});

describe('bad arguments print usage and exit with 2', () => {
  const badConfig = (): string => {
    const f = join(tmp, 'bad.json');
    writeFileSync(f, JSON.stringify({ depth: 9 }));
    return f;
  };
  const notJson = (): string => {
    const f = join(tmp, 'not.json');
    writeFileSync(f, '{ depth: 8');
    return f;
  };
  it.each<[string, () => string[], RegExp]>([
    ['no --out', () => ['--steps', '2'], /--out DIR is required/],
    ['unknown flag', () => ['--out', 'x', '--epochs', '2'], /unknown option --epochs/],
    ['bad depth', () => ['--out', 'x', '--depth', '9'], /--depth must be one of 8, 14, 20/],
    ['bad preset', () => ['--out', 'x', '--preset', 'resnet'], /--preset must be one of fp, vanilla/],
    ['webgl', () => ['--out', 'x', '--backend', 'webgl'], /--backend must be one of wasm, cpu/],
    ['invalid config file', () => ['--out', 'x', '--config', badConfig()], /invalid run config: depth/],
    ['config not JSON', () => ['--out', 'x', '--config', notJson()], /is not valid JSON/],
    ['missing config file', () => ['--out', 'x', '--config', join(tmp, 'nope.json')], /cannot read --config/],
    ['DIR-Net without a teacher', () => ['--out', 'x', '--preset', 'dirnet'], /needs a full-precision teacher/],
    ['teacher without distillation', () => ['--out', 'x', '--preset', 'irnet', '--train-teacher'], /only apply to runs with distillation/],
    ['both teacher options', () => ['--out', 'x', '--preset', 'dirnet', '--teacher', 'a', '--train-teacher'], /either --teacher DIR or --train-teacher/],
  ])('%s', async (_name, argv, message) => {
    const c = io();
    expect(await main(argv(), c)).toBe(2);
    expect(c.err).toMatch(message);
    expect(c.err).toContain('Usage: npm run train');
    expect(c.out).toBe('');
    expect(existsSync(join(ROOT, 'x'))).toBe(false);
  });

  it('as a child process: exit code 2, message and usage on stderr', () => {
    const tsx = join(ROOT, 'node_modules', '.bin', 'tsx');
    const r = spawnSync(tsx, ['src/cli/train.ts', '--preset', 'irnet', '--steps', 'ten', '--out', join(tmp, 'never')], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error: --steps must be a number, got 'ten'");
    expect(r.stderr).toContain('Usage: npm run train -- --out DIR');
    expect(r.stdout).toBe('');
    expect(existsSync(join(tmp, 'never'))).toBe(false);
  });

  it('--help prints usage and exits with 0', async () => {
    const c = io();
    expect(await main(['--help'], c)).toBe(0);
    expect(c.out).toContain('--train-teacher');
  });
});
