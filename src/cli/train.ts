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
import { DEFAULT_CONFIG, PRESETS, parseRunConfig, type PresetName, type RunConfig } from '../bnn/config';
import { BnnModel } from '../bnn/model/model';
import {
  EXIT_FAILURE,
  EXIT_OK,
  EXIT_USAGE,
  UsageError,
  bool,
  formatDuration,
  isEntry,
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

export const TRAIN_USAGE = `Usage: npm run train -- --out DIR [options]

Trains one binarized ResNet with the app's code (Node, wasm backend) and writes
DIR/model.safetensors, DIR/metrics.json and DIR/predictions.json.

Options (flags override --config, which overrides the defaults):
  --out DIR              output folder (required; created)
  --config FILE.json     a RunConfig as JSON (any subset of its keys; validated)
  --preset NAME          ${PRESET_NAMES.join(' | ')} (sets the technique toggles)
  --dataset NAME         mnist | shapes                       (default mnist)
  --depth N              8 | 14 | 20                          (default 8)
  --width N              8 | 16 | 32                          (default 16)
  --steps N              training steps                       (default 600)
  --batch N              batch size                           (default 32)
  --lr X                 peak learning rate (cosine to 0)     (default 0.001)
  --optimizer NAME       adam | sgd                           (default adam)
  --seed N               data order, init and augmentation    (default 1)
  --eval-every N         evaluate on the test split every N steps and at the end (default 100)
  --eval-limit N         evaluate on the first N test images only (default 0 = all)
  --stats-every N        layer statistics every N steps       (default 50)
  --backend NAME         wasm | cpu                           (default wasm)
  --bn-reestimate N      also evaluate with BN statistics re-estimated on N training images
                         (final.bnReestimated in metrics.json; default 0 = off)
  --teacher DIR          DIR-Net: a previous full-precision run's output folder as the RBD teacher
  --train-teacher        DIR-Net: train the full-precision teacher first (same settings; DIR/teacher)
  --help                 this text
`;

export const TRAIN_FLAGS: Readonly<Record<string, FlagSpec>> = {
  out: { type: 'string' },
  config: { type: 'string' },
  preset: { type: 'string', choices: PRESET_NAMES },
  dataset: { type: 'string', choices: ['mnist', 'shapes'] },
  depth: { type: 'int', choices: ['8', '14', '20'] },
  width: { type: 'int', choices: ['8', '16', '32'] },
  steps: { type: 'int', min: 1 },
  batch: { type: 'int', min: 1, max: 512 },
  lr: { type: 'number', min: 0 },
  optimizer: { type: 'string', choices: ['adam', 'sgd'] },
  seed: { type: 'int', min: 0, max: 2 ** 31 - 1 },
  'eval-every': { type: 'int', min: 1 },
  'eval-limit': { type: 'int', min: 0 },
  'stats-every': { type: 'int', min: 0 },
  backend: { type: 'string', choices: ['wasm', 'cpu'] },
  'bn-reestimate': { type: 'int', min: 0, max: 100_000 },
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
  const set = (key: keyof RunConfig, v: string | number | undefined): void => {
    if (v !== undefined) merged[key] = v;
  };
  set('dataset', str(flags, 'dataset'));
  set('depth', num(flags, 'depth'));
  set('width', num(flags, 'width'));
  set('steps', num(flags, 'steps'));
  set('batchSize', num(flags, 'batch'));
  set('lr', num(flags, 'lr'));
  set('optimizer', str(flags, 'optimizer'));
  set('seed', num(flags, 'seed'));
  set('evalEvery', num(flags, 'eval-every'));
  set('evalLimit', num(flags, 'eval-limit'));
  set('backend', str(flags, 'backend'));
  const parsed = parseRunConfig(merged);
  if (!parsed.ok) throw new UsageError(`invalid run config: ${parsed.error}`);
  const cfg = parsed.config;
  if (cfg.backend === 'webgl') throw new UsageError('the webgl backend needs a browser; use --backend wasm or cpu');
  if (cfg.dataset === 'cifar10') throw new UsageError('CIFAR-10 is not available from the command line (the app loads uploaded batches); use mnist or shapes');
  return cfg;
}

function pct(v: number | null): string {
  return v === null ? 'n/a' : `${(100 * v).toFixed(2)}%`;
}

function techniques(c: RunConfig): string {
  if (c.precision === 'full') return 'full precision';
  const parts = [`${c.weightTransform} + ${c.estimator}`];
  if (c.restriction) parts.push(`restriction λ=${c.restrictionLambda}`);
  if (c.recovery !== 'off') parts.push(`${c.recovery} recovery`);
  if (c.distill) parts.push(`RBD β=${c.distillBeta}${c.kd ? `, KD τ=${c.kdTau}` : ''}`);
  return `binary (${parts.join(', ')})`;
}

/** The one-screen summary printed after a run. */
export function formatSummary(m: RunMetrics, out: string): string {
  const c = m.config;
  const presetLabel = m.preset ? PRESETS[m.preset].label : 'custom';
  const lines = [
    `run        ${presetLabel}: ResNet-${c.depth}, width ${c.width}, ${techniques(c)}`,
    `params     ${m.model.binaryParams} binary + ${m.model.floatParams} float; ${m.model.bops} BOPs + ${m.model.flops} FLOPs per image`,
    `data       ${m.dataset.name}: ${m.dataset.trainImages} train / ${m.dataset.testImages} test images, batch ${c.batchSize}`,
    `training   ${m.outcome.steps}/${c.steps} steps, seed ${c.seed}, ${c.optimizer} lr ${c.lr} (cosine), ${m.backend} backend`,
  ];
  if (m.teacher) lines.push(`teacher    ${m.teacher.source === 'file' ? 'read from' : 'trained into'} ${m.teacher.path ?? '?'} (test accuracy ${pct(m.teacher.testAccuracy)})`);
  const lastStep = m.steps.at(-1);
  lines.push(
    `status     ${m.outcome.status}${m.outcome.message ? `: ${m.outcome.message}` : ''}`,
    `test       accuracy ${pct(m.final.testAccuracy)}, loss ${m.final.testLoss?.toFixed(4) ?? 'n/a'} on ${m.final.testImages} images` +
      (lastStep ? `  (last batch: loss ${lastStep.loss.toFixed(4)}, accuracy ${pct(lastStep.accuracy)})` : ''),
  );
  if (m.final.bnReestimated) {
    const r = m.final.bnReestimated;
    lines.push(`bn re-est. accuracy ${pct(r.testAccuracy)}, loss ${r.testLoss.toFixed(4)} with BN statistics re-estimated on ${r.images} training images`);
  }
  if (m.evals.length > 1) lines.push(`evals      ${m.evals.map((e) => `${e.step}: ${(100 * e.testAccuracy).toFixed(1)}`).join('  ')}`);
  if (m.final.weightEntropy !== null) {
    lines.push(
      `entropy    weight ${m.final.weightEntropy.toFixed(4)} bits, activation ${m.final.activationEntropy?.toFixed(4) ?? 'n/a'} bits (mean over binary convs)`,
    );
  }
  lines.push(
    `time       ${formatDuration(m.timing.trainMs)} training (${m.timing.stepMsMean.toFixed(0)} ms/step), ${formatDuration(m.timing.totalMs)} in all`,
    `model      ${formatBytes(m.model.bytes)} exported (float32 would be ${formatBytes(m.model.float32Bytes)})`,
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
    if (cfg.distill && !wantsTeacher) {
      throw new UsageError('distillation (DIR-Net) needs a full-precision teacher: --teacher DIR (a previous FP run) or --train-teacher');
    }
    if (!cfg.distill && wantsTeacher) throw new UsageError('--teacher/--train-teacher only apply to runs with distillation (e.g. --preset dirnet)');
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
        config: teacherConfigFor(cfg), data, out: dir, io, label: 'teacher', statsEvery: num(flags, 'stats-every'), bnReestimate: num(flags, 'bn-reestimate'),
      });
      teacher = {
        model: BnnModel.fromSnapshot(t.metrics.config, data.numClasses, t.snapshot),
        info: { source: 'trained', path: dir, testAccuracy: t.metrics.final.testAccuracy },
      };
      io.stderr(`teacher    trained: test accuracy ${pct(t.metrics.final.testAccuracy)} (${dir})\n`);
    }
    io.stderr(`train      ${cfg.steps} steps on ${backend}\n`);
    const result = await trainRun({ config: cfg, data, out, io, teacher, statsEvery: num(flags, 'stats-every'), bnReestimate: num(flags, 'bn-reestimate') });
    io.stdout(formatSummary(result.metrics, out));
    return result.metrics.outcome.status === 'finished' ? EXIT_OK : EXIT_FAILURE;
  } catch (e) {
    io.stderr(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAILURE;
  } finally {
    teacher?.model.dispose();
  }
}

if (isEntry(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = EXIT_FAILURE;
    },
  );
}
