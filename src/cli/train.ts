/**
 * `npm run train -- --preset irnet --dataset mnist --depth 20 --width 16 --steps 600 --seed 1 --out DIR`
 *
 * Trains one run headless with the browser's model and trainer code and writes
 * DIR/model.safetensors, DIR/metrics.json and DIR/predictions.json (schema in ./run.ts and the
 * README). Progress goes to stderr, the summary to stdout. Exit codes: 0 done, 1 the run
 * failed (e.g. non-finite loss) or an unexpected error, 2 bad arguments.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATASET_NAMES } from '../data/catalog';
import { ESTIMATOR_NAMES } from '../bnn/quantizers/registry';
import { DEFAULT_CONFIG, PRESETS, needsTeacher, parseRunConfig, type PresetName, type RunConfig } from '../bnn/config';
import { BnnModel } from '../bnn/model/model';
import {
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  UsageError,
  bool,
  formatDuration,
  runIfEntry,
  num,
  parseFlags,
  processIO,
  str,
  type CliIO,
  type FlagSpec,
  type ParsedFlags,
} from './args';
import { formatBytes } from '../bnn/train/ablation';
import { loadDatasetNode, loadTeacherDir, startNodeBackend, teacherConfigFor, trainRun, type RunMetrics, type TeacherInfo } from './run';

const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** Flags that set one RunConfig key each; the usage text prints each key's real default. */
interface ConfigFlag {
  key: keyof RunConfig;
  spec: FlagSpec;
  help: string;
}


export const CONFIG_FLAGS: Readonly<Record<string, ConfigFlag>> = {
  dataset: { key: 'dataset', spec: { type: 'string', choices: DATASET_NAMES.filter((d) => d !== 'cifar10') }, help: DATASET_NAMES.filter((d) => d !== 'cifar10').join(' | ') },
  depth: { key: 'depth', spec: { type: 'int', choices: ['8', '14', '20'] }, help: '8 | 14 | 20' },
  width: { key: 'width', spec: { type: 'int', choices: ['8', '16', '32'] }, help: '8 | 16 | 32' },
  steps: { key: 'steps', spec: { type: 'int', min: 1 }, help: 'training steps' },
  batch: { key: 'batchSize', spec: { type: 'int', min: 1, max: 512 }, help: 'batch size' },
  lr: { key: 'lr', spec: { type: 'number', min: 0 }, help: 'peak lr of the full-precision parameters' },
  'latent-lr': { key: 'latentLr', spec: { type: 'number', min: 0 }, help: 'peak lr of the binary latent weights' },
  'latent-init': { key: 'latentInitScale', spec: { type: 'number', min: 0 }, help: 'latent init as a multiple of He std' },
  warmup: { key: 'warmupSteps', spec: { type: 'int', min: 0 }, help: 'linear lr warm-up steps, then cosine' },
  'weight-decay': { key: 'weightDecay', spec: { type: 'number', min: 0 }, help: 'FP weights (AdamW / SGD L2)' },
  optimizer: { key: 'optimizer', spec: { type: 'string', choices: ['adam', 'sgd'] }, help: 'adam | sgd' },
  'activation-estimator': { key: 'activationEstimator', spec: { type: 'string', choices: ESTIMATOR_NAMES }, help: ESTIMATOR_NAMES.join(' | ') },
  'weight-estimator': { key: 'weightEstimator', spec: { type: 'string', choices: ESTIMATOR_NAMES }, help: ESTIMATOR_NAMES.join(' | ') },
  kd: { key: 'kd', spec: { type: 'boolean' }, help: 'logit distillation from the FP teacher' },
  'kd-tau': { key: 'kdTau', spec: { type: 'number', min: 0.5, max: 20 }, help: 'KD temperature' },
  seed: { key: 'seed', spec: { type: 'int', min: 0, max: 2 ** 31 - 1 }, help: 'data order, init and augmentation' },
  'eval-every': { key: 'evalEvery', spec: { type: 'int', min: 1 }, help: 'evaluate every N steps and at the end' },
  'eval-limit': { key: 'evalLimit', spec: { type: 'int', min: 0 }, help: 'stratified test sample (0 = all)' },
  'bn-calibration': { key: 'bnCalibration', spec: { type: 'int', min: 0, max: 100_000 }, help: 'BN recalibration images (0 = moving averages)' },
  backend: { key: 'backend', spec: { type: 'string', choices: ['wasm', 'cpu'] }, help: 'wasm | cpu' },
};

/** The usage lines of the config flags (without `omit`), each with its default from DEFAULT_CONFIG. */
export function configFlagLines(omit: readonly string[] = []): string {
  return Object.entries(CONFIG_FLAGS)
    .filter(([flag]) => !omit.includes(flag))
    .map(([flag, f]) => {
      const arg = f.spec.type === 'boolean' ? `--${flag}` : `--${flag} ${f.spec.type === 'string' ? 'NAME' : f.spec.type === 'int' ? 'N' : 'X'}`;
      return `  ${arg.padEnd(27)}${`${f.help} `.padEnd(44)}(default ${String(DEFAULT_CONFIG[f.key])})`;
    })
    .join('\n');
}

export const TRAIN_USAGE = `Usage: npm run train -- --out DIR [options]

Trains one binarized ResNet with the app's code (Node, wasm backend) and writes
DIR/model.safetensors, DIR/metrics.json and DIR/predictions.json.

Options (flags override --config, which overrides the defaults):
  --out DIR                  output folder (required; created)
  --config FILE.json         a RunConfig as JSON (any subset of its keys; validated)
  --preset NAME              ${PRESET_NAMES.join(' | ')} (sets the technique toggles)
${configFlagLines()}
  --stats-every N            layer statistics every N steps (default 50)
  --latent                   also write the binary convs' latent weights into model.safetensors
  --teacher DIR              RBD / KD: a previous full-precision run's output folder as the teacher
  --train-teacher            RBD / KD: train the full-precision teacher first (same settings; DIR/teacher)
  --help                     this text
`;

export const TRAIN_FLAGS: Readonly<Record<string, FlagSpec>> = {
  out: { type: 'string' },
  config: { type: 'string' },
  preset: { type: 'string', choices: PRESET_NAMES },
  ...Object.fromEntries(Object.entries(CONFIG_FLAGS).map(([flag, f]) => [flag, f.spec])),
  'stats-every': { type: 'int', min: 0 },
  latent: { type: 'boolean' },
  teacher: { type: 'string' },
  'train-teacher': { type: 'boolean' },
  help: { type: 'boolean' },
};

/**
 * The run config: DEFAULT_CONFIG, then the --config file's keys, then --preset's toggles, then
 * the individual flags; validated with parseRunConfig. Throws UsageError with the reason.
 */
export function configFromFlags(flags: ParsedFlags, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): RunConfig {
  let merged: Record<string, unknown> = { ...DEFAULT_CONFIG };
  const file = str(flags, 'config');
  if (file !== undefined) {
    let text: string;
    try {
      text = readFile(file);
    } catch (e) {
      throw new UsageError(`cannot read --config ${file}: ${e instanceof Error ? e.message : String(e)}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`--config ${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UsageError(`--config ${file} must hold a JSON object (a RunConfig)`);
    merged = { ...merged, ...(json as Record<string, unknown>) };
  }
  const preset = str(flags, 'preset') as PresetName | undefined;
  if (preset) merged = { ...merged, ...PRESETS[preset].toggles };
  for (const [flag, f] of Object.entries(CONFIG_FLAGS)) {
    if (Object.prototype.hasOwnProperty.call(flags, flag)) merged[f.key] = flags[flag];
  }
  const parsed = parseRunConfig(merged);
  if (!parsed.ok) throw new UsageError(`invalid run config: ${parsed.error}`);
  const cfg = parsed.config;
  if (cfg.backend === 'webgl') throw new UsageError('the webgl backend needs a browser; use --backend wasm or cpu');
  if (cfg.dataset === 'cifar10') throw new UsageError('CIFAR-10 is not available from the command line (the app loads uploaded batches); use mnist, fashion-mnist, mnist-small or shapes');
  return cfg;
}

function pct(v: number | null): string {
  return v === null ? 'n/a' : `${(100 * v).toFixed(2)}%`;
}

function techniques(c: RunConfig): string {
  if (c.precision === 'full') return 'full precision';
  const est = c.activationEstimator === c.weightEstimator ? c.activationEstimator : `${c.activationEstimator} (a) / ${c.weightEstimator} (w)`;
  const parts = [`${c.weightTransform} + ${est}`];
  if (c.restriction) parts.push(`restriction λ=${c.restrictionLambda}`);
  if (c.recovery !== 'off') parts.push(`${c.recovery} recovery`);
  if (c.distill) parts.push(`RBD β=${c.distillBeta}`);
  if (c.kd) parts.push(`KD τ=${c.kdTau}`);
  return `binary (${parts.join(', ')})`;
}

/** The exported file against the full-precision export of the same architecture, file for file. */
function modelSize(m: RunMetrics): string {
  const s = m.model;
  const file = `${formatBytes(s.bytes)} exported (header ${formatBytes(s.headerBytes)} + data ${formatBytes(s.dataBytes)})`;
  if (m.config.precision === 'full') return file;
  return `${file}; the full-precision export of this architecture: ${formatBytes(s.fullPrecisionBytes)} (${(s.fullPrecisionBytes / s.bytes).toFixed(1)}× the file)`;
}

/** The one-screen summary printed after a run. */
export function formatSummary(m: RunMetrics, out: string): string {
  const c = m.config;
  const presetLabel = m.preset ? PRESETS[m.preset].label : 'custom';
  const lines = [
    `run        ${presetLabel}: ResNet-${c.depth}, width ${c.width}, ${techniques(c)}`,
    `params     ${m.model.binaryParams} binary + ${m.model.floatParams} float; ${m.model.bops} BOPs + ${m.model.flops} FLOPs per image`,
    `data       ${m.dataset.name}: ${m.dataset.trainImages} train / ${m.dataset.testImages} test images, batch ${c.batchSize}`,
    `training   ${m.outcome.steps}/${c.steps} steps, seed ${c.seed}, ${c.optimizer} lr ${c.lr} / latent ${c.latentLr}` +
      `${c.warmupSteps ? `, ${c.warmupSteps} warm-up` : ''} (cosine), ${m.backend} backend`,
  ];
  if (m.teacher) lines.push(`teacher    ${m.teacher.source === 'file' ? 'read from' : 'trained into'} ${m.teacher.path ?? '?'} (test accuracy ${pct(m.teacher.testAccuracy)})`);
  const lastStep = m.steps.at(-1);
  lines.push(
    `status     ${m.outcome.status}${m.outcome.message ? `: ${m.outcome.message}` : ''}`,
    `test       accuracy ${pct(m.final.testAccuracy)}, loss ${m.final.testLoss?.toFixed(4) ?? 'n/a'} on ${m.final.testImages} images` +
      (lastStep ? `  (last batch: loss ${lastStep.loss.toFixed(4)}, accuracy ${pct(lastStep.accuracy)})` : ''),
  );
  if (m.final.movingAverage) {
    const r = m.final.movingAverage;
    lines.push(`moving BN  accuracy ${pct(r.testAccuracy)}, loss ${r.testLoss.toFixed(4)} with the BN moving averages (above: calibrated on ${c.bnCalibration} training images)`);
  }
  if (m.evals.length > 1) lines.push(`evals      ${m.evals.map((e) => `${e.step}: ${(100 * e.testAccuracy).toFixed(1)}`).join('  ')}`);
  if (m.final.weightEntropy !== null) {
    lines.push(
      `entropy    weight ${m.final.weightEntropy.toFixed(4)} bits, activation ${m.final.activationEntropy?.toFixed(4) ?? 'n/a'} bits (mean over binary convs)`,
    );
  }
  lines.push(
    `time       ${formatDuration(m.timing.trainMs)} training (${m.timing.stepMsMean.toFixed(0)} ms/step), ${formatDuration(m.timing.totalMs)} in all`,
    `model      ${modelSize(m)}`,
    `written    ${join(out, 'model.safetensors')}, metrics.json, predictions.json`,
  );
  return `${lines.join('\n')}\n`;
}

/** Parses argv (without node and the script), trains, writes; returns the exit code. */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  let flags: ParsedFlags;
  let cfg: RunConfig;
  let out: string;
  try {
    flags = parseFlags(argv, TRAIN_FLAGS);
    if (bool(flags, 'help')) {
      io.stdout(TRAIN_USAGE);
      return EXIT_OK;
    }
    const o = str(flags, 'out');
    if (o === undefined) throw new UsageError('--out DIR is required');
    out = o;
    cfg = configFromFlags(flags);
    const teacherDir = str(flags, 'teacher');
    if (teacherDir !== undefined && bool(flags, 'train-teacher')) throw new UsageError('give either --teacher DIR or --train-teacher, not both');
    const wantsTeacher = teacherDir !== undefined || bool(flags, 'train-teacher');
    if (needsTeacher(cfg) && !wantsTeacher) {
      throw new UsageError('distillation (RBD or --kd) needs a full-precision teacher: --teacher DIR (a previous FP run) or --train-teacher');
    }
    if (!needsTeacher(cfg) && wantsTeacher) throw new UsageError('--teacher/--train-teacher only apply to runs with distillation (e.g. --preset dirnet, or --kd)');
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n\n${TRAIN_USAGE}`);
      return EXIT_USAGE;
    }
    throw e;
  }

  let teacher: { model: BnnModel; info: TeacherInfo } | undefined;
  try {
    const backend = await startNodeBackend(cfg.backend);
    const data = loadDatasetNode(cfg.dataset);
    const teacherDir = str(flags, 'teacher');
    if (teacherDir !== undefined) {
      teacher = loadTeacherDir(teacherDir, cfg, data.numClasses);
    } else if (bool(flags, 'train-teacher')) {
      const dir = join(out, 'teacher');
      const t = await trainRun({
        config: teacherConfigFor(cfg), data, out: dir, io, label: 'teacher', statsEvery: num(flags, 'stats-every'),
      });
      teacher = {
        model: BnnModel.fromSnapshot(t.metrics.config, data.numClasses, t.snapshot),
        info: { source: 'trained', path: dir, testAccuracy: t.metrics.final.testAccuracy },
      };
      io.stderr(`teacher    trained: test accuracy ${pct(t.metrics.final.testAccuracy)} (${dir})\n`);
    }
    io.stderr(`train      ${cfg.steps} steps on ${backend}\n`);
    const result = await trainRun({ config: cfg, data, out, io, teacher, statsEvery: num(flags, 'stats-every'), includeLatent: bool(flags, 'latent') });
    io.stdout(formatSummary(result.metrics, out));
    return result.metrics.outcome.status === 'finished' ? EXIT_OK : EXIT_FAILURE;
  } catch (e) {
    io.stderr(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAILURE;
  } finally {
    teacher?.model.dispose();
  }
}

runIfEntry(import.meta.url, main);
