/**
 * `npx tsx scripts/python-fixtures.ts DIR` — the files the Python package's tests read
 * (python/tests, BNN_FIXTURES=DIR), made by the app's own code:
 *
 *   models/<name>/         a real training run of every preset (and both recovery modules) with
 *                          `npm run train`'s trainRun on MNIST small, latent weights included:
 *                          model.safetensors, metrics.json, predictions.json (the app's logits)
 *   data/                  mnist-small-train.safetensors, mnist-small-test.safetensors
 *   malformed/safetensors/ the safetensors reader's malformed files, manifest.json with each
 *                          file's expected error code (and reader options)
 *   malformed/model/       spoilt version-2 model files, manifest.json with the app's code and
 *                          the Python reader's (null: only the app's config check refuses it)
 *   configs.json           config differences probing every key's rule, with the app's verdict
 *   manifest.json          the models, with their presets and configs
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_CONFIG, applyPreset, type PresetName, type RunConfig } from '../src/bnn/config';
import { BnnModel } from '../src/bnn/model/model';
import { silentIO } from '../src/cli/args';
import { loadDatasetNode, startNodeBackend, trainRun } from '../src/cli/run';
import { writeDataFile } from '../src/io/data-file';
import { exportModel } from '../src/io/export';
import { CONFIG_BASELINE_V2, configFromDiff } from '../src/io/model-file-config';
import { MALFORMED_MODEL_CASES } from '../src/io/model-file-malformed';
import { TEST_BASE_CONFIG, TEST_DATASET, randomModel } from '../src/io/model-file-testing';
import { MALFORMED_SAFETENSORS_CASES } from '../src/io/safetensors/malformed-cases';

/**
 * Tiny real runs: ResNet-8, width 8, 20 steps of 16 MNIST-small digits, BN calibrated on 200,
 * evaluated on 300 test images (predictions.json still covers the whole test split).
 */
const TINY: RunConfig = {
  ...DEFAULT_CONFIG,
  dataset: 'mnist-small',
  depth: 8,
  width: 8,
  batchSize: 16,
  steps: 20,
  evalEvery: 20,
  evalLimit: 300,
  bnCalibration: 200,
  backend: 'wasm',
  seed: 5,
};

export interface FixtureModel {
  name: string;
  preset: PresetName;
  config: RunConfig;
}

export const FIXTURE_MODELS: FixtureModel[] = [
  ...(['fp', 'vanilla', 'xnor', 'bireal', 'irnet', 'reactnet', 'ir2net', 'dirnet'] as PresetName[]).map((preset) => ({
    name: preset,
    preset,
    config: applyPreset(TINY, preset),
  })),
  { name: 'irnet-full-recovery', preset: 'irnet', config: { ...applyPreset(TINY, 'irnet'), recovery: 'full' } },
  { name: 'bireal-compact-ratio3', preset: 'bireal', config: { ...applyPreset(TINY, 'bireal'), recovery: 'compact', recoveryRatio: 3 } },
];

/** Values tried on every config key: each rule's boundaries and every enum's members. */
const PROBES: unknown[] = [
  ...[-1, 0, 1e-9, 0.1, 0.15, 0.5, 0.999, 1, 1.5, 2, 4, 8, 9, 10, 10.5, 14, 16, 20, 21, 32, 100, 101, 512, 513],
  ...[1e4, 1e4 + 1, 1e5, 1e5 + 1, 1e6, 1e6 + 1, 2 ** 31 - 1, 2 ** 31],
  ...[true, false, null, 'x', 'x'.repeat(201), [1], {}],
  ...['adam', 'sgd', 'binary', 'full', 'none', 'xnor', 'librapb', 'imb', 'ste', 'approxsign', 'ede', 'dte', 'off', 'compact', 'hardtanh', 'rprelu', 'webgpu', 'webgl', 'wasm', 'cpu'],
];

/** [diff, valid] for one probe of every key: what the app's configFromDiff decides. */
export function configProbes(): { diff: Record<string, unknown>; valid: boolean }[] {
  const out: { diff: Record<string, unknown>; valid: boolean }[] = [];
  for (const key of Object.keys(CONFIG_BASELINE_V2)) {
    if (key === 'dataset') continue;
    for (const value of PROBES) {
      const diff = { [key]: value };
      out.push({ diff, valid: configFromDiff(diff, 'mnist').ok });
    }
  }
  out.push({ diff: { precision: 'full', kd: true }, valid: configFromDiff({ precision: 'full', kd: true }, 'mnist').ok });
  return out;
}

export async function buildPythonFixtures(dir: string, log: (line: string) => void = () => {}): Promise<void> {
  await startNodeBackend('wasm');
  const data = loadDatasetNode('mnist-small');
  mkdirSync(join(dir, 'data'), { recursive: true });
  for (const split of ['train', 'test'] as const) writeFileSync(join(dir, 'data', `mnist-small-${split}.safetensors`), writeDataFile(data, split));

  let teacher: BnnModel | undefined;
  for (const m of FIXTURE_MODELS) {
    const t0 = performance.now();
    const out = join(dir, 'models', m.name);
    const needsTeacher = m.config.distill || m.config.kd;
    const result = await trainRun({
      config: m.config,
      data,
      out,
      io: silentIO,
      statsEvery: 0,
      includeLatent: true,
      teacher: needsTeacher && teacher ? { model: teacher, info: { source: 'trained', path: join(dir, 'models', 'fp'), testAccuracy: null } } : undefined,
    });
    if (result.metrics.outcome.status !== 'finished') throw new Error(`fixture run ${m.name}: ${result.metrics.outcome.message}`);
    if (m.name === 'fp') teacher = BnnModel.fromSnapshot(result.metrics.config, data.numClasses, result.snapshot);
    log(`fixture ${m.name}: test accuracy ${(100 * (result.metrics.final.testAccuracy ?? 0)).toFixed(1)}% (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  teacher?.dispose();
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ models: FIXTURE_MODELS }, null, 1));
  writeFileSync(join(dir, 'configs.json'), JSON.stringify(configProbes()));

  const st = join(dir, 'malformed', 'safetensors');
  mkdirSync(st, { recursive: true });
  writeFileSync(
    join(st, 'manifest.json'),
    JSON.stringify(
      MALFORMED_SAFETENSORS_CASES.map((c, i) => {
        writeFileSync(join(st, `${i}.safetensors`), c.file);
        return { file: `${i}.safetensors`, what: c.what, code: c.code, options: c.options ?? {} };
      }),
      null,
      1,
    ),
  );

  const good: Record<string, Uint8Array> = {};
  for (const [kind, cfg] of [['binary', { ...TEST_BASE_CONFIG, weightTransform: 'librapb' }], ['full', { ...TEST_BASE_CONFIG, precision: 'full' }]] as const) {
    const { m, snap } = await randomModel(cfg);
    good[kind] = await exportModel({ config: cfg, params: snap, dataset: TEST_DATASET, testAccuracy: 0.5, includeLatent: kind === 'binary' });
    m.dispose();
  }
  const md = join(dir, 'malformed', 'model');
  mkdirSync(md, { recursive: true });
  writeFileSync(join(md, 'good-binary.safetensors'), good.binary);
  writeFileSync(join(md, 'good-full.safetensors'), good.full);
  writeFileSync(
    join(md, 'manifest.json'),
    JSON.stringify(
      MALFORMED_MODEL_CASES.map((c, i) => {
        writeFileSync(join(md, `${i}.safetensors`), c.spoil(good[c.base]));
        return { file: `${i}.safetensors`, what: c.what, code: c.code, python: c.python };
      }),
      null,
      1,
    ),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: npx tsx scripts/python-fixtures.ts DIR\n');
    process.exitCode = 2;
  } else {
    buildPythonFixtures(dir, (line) => process.stdout.write(`${line}\n`)).then(
      () => process.stdout.write(`fixtures written to ${dir}\n`),
      (e: unknown) => {
        process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
        process.exitCode = 1;
      },
    );
  }
}
