/**
 * `npm run ablation -- --grid irnet|all --seeds 3 --steps N --out DIR [--depth --width --batch --dataset ...]`
 *
 * Runs every row of the grid (src/bnn/train/ablation.ts) for every seed, seed by seed, each run
 * exactly as `npm run train` would (DIR/runs/<row>-s<seed>/ holds its model.safetensors,
 * metrics.json and predictions.json). The DIR-Net row's RBD teacher is the FP row's run of the
 * same seed. After every run DIR/ablation.json and DIR/ablation.md are rewritten, so an
 * interrupted grid still leaves a table of what finished; `--resume` reuses finished runs whose
 * metrics.json holds the same config. At the end the markdown table goes to stdout.
 *
 * ablation.json: { format: 'bnn-playground-ablation', version: 1, grid, seeds, base (the shared
 * config; seed and toggles vary per run), backend, environment, command, wallMs, complete,
 * runs: [{ row, seed, dir, status, testAccuracy, weightEntropy, trainMs, modelBytes,
 * movingAccuracy (the BN moving averages' accuracy; null for runs without calibration),
 * evalSpreadAfter20 (points), maxSignDisagreement }],
 * table: AblationTableRow[] (src/bnn/train/ablation.ts), markdown }.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { BnnModel } from '../bnn/model/model';
import type { RunConfig } from '../bnn/config';
import {
  GRID_NAMES,
  ablationMarkdown,
  aggregateAblation,
  gridRows,
  planGrid,
  type AblationRunResult,
  type GridName,
} from '../bnn/train/ablation';
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
import {
  METRICS_FILE,
  loadDatasetNode,
  loadTeacherDir,
  startNodeBackend,
  trainRun,
  type RunMetrics,
  type TeacherInfo,
} from './run';
import { TRAIN_FLAGS, configFlagLines, configFromFlags } from './train';

export const ABLATION_FORMAT = 'bnn-playground-ablation';

export const ABLATION_USAGE = `Usage: npm run ablation -- --grid irnet|all --out DIR [options]

Runs an ablation grid over seeds with the app's code (Node, wasm backend) and prints a
markdown table: test accuracy mean ± std over seeds, gap to FP, weight entropy, training
time and exported model size. Writes DIR/ablation.md, DIR/ablation.json and every run's
files under DIR/runs/<row>-s<seed>/.

  --grid NAME            irnet: {none, Libra-PB} x {STE, EDE} + FP
                         all:   irnet + XNOR-Net, Bi-Real, IR2Net, DIR-Net, ReActNet (teacher: the FP run of the same seed)
  --out DIR              output folder (required; created)
  --seeds N              seeds per row                        (default 3)
  --first-seed N         seeds are N, N+1, ...                (default 1)
  --resume               reuse finished runs in DIR/runs with the same config
  --rows A,B,...         only these rows of the grid, e.g. fp,vanilla,irnet
  --config FILE.json     base RunConfig as JSON (toggles and seed are set per run)
${configFlagLines(['seed', 'activation-estimator', 'weight-estimator'])}
  --stats-every N            layer statistics every N steps (default 50)
  --help                     this text
`;

const {
  preset: _preset,
  seed: _seed,
  teacher: _teacher,
  'train-teacher': _trainTeacher,
  'activation-estimator': _activationEstimator,
  'weight-estimator': _weightEstimator,
  ...shared
} = TRAIN_FLAGS;

export const ABLATION_FLAGS: Readonly<Record<string, FlagSpec>> = {
  ...shared,
  grid: { type: 'string', choices: GRID_NAMES },
  seeds: { type: 'int', min: 1, max: 100 },
  'first-seed': { type: 'int', min: 0, max: 2 ** 31 - 200 },
  resume: { type: 'boolean' },
  rows: { type: 'string' },
};

interface AblationRunRecord extends AblationRunResult {
  dir: string;
  status: RunMetrics['outcome']['status'];
  /**
   * Stability: the largest |accuracy − final accuracy| over the evaluations after 20% of training,
   * in points (null with none there), and the worst layer's train/inference sign disagreement at the
   * last measurement (null for FP).
   */
  evalSpreadAfter20: number | null;
  maxSignDisagreement: number | null;
}

/** The largest distance in points of an evaluation after 20% of training from the final one. */
export function evalSpreadAfter20(m: Pick<RunMetrics, 'evals' | 'config'>): number | null {
  const last = m.evals.at(-1);
  const later = m.evals.filter((e) => e.step > 0.2 * m.config.steps);
  if (!last || later.length === 0) return null;
  return Math.max(...later.map((e) => 100 * Math.abs(e.testAccuracy - last.testAccuracy)));
}

function recordOf(m: RunMetrics, row: string, dir: string): AblationRunRecord {
  return {
    row,
    seed: m.config.seed,
    dir,
    status: m.outcome.status,
    testAccuracy: m.final.testAccuracy ?? 0,
    weightEntropy: m.final.weightEntropy,
    trainMs: m.timing.trainMs,
    modelBytes: m.model.bytes,
    movingAccuracy: m.final.movingAverage?.testAccuracy ?? null,
    evalSpreadAfter20: evalSpreadAfter20(m),
    maxSignDisagreement: m.layerStats.at(-1)?.maxSignDisagreement ?? null,
  };
}

/** A finished run's metrics in `dir` with exactly this config, or null. */
function finishedRun(dir: string, config: RunConfig): RunMetrics | null {
  const file = join(dir, METRICS_FILE);
  if (!existsSync(file)) return null;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as RunMetrics;
    if (m.outcome?.status !== 'finished' || JSON.stringify(m.config) !== JSON.stringify(config)) return null;
    return m;
  } catch {
    return null;
  }
}

export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  let flags: ParsedFlags;
  let base: RunConfig;
  let grid: GridName;
  let out: string;
  try {
    flags = parseFlags(argv, ABLATION_FLAGS);
    if (bool(flags, 'help')) {
      io.stdout(ABLATION_USAGE);
      return EXIT_OK;
    }
    const g = str(flags, 'grid');
    if (g === undefined) throw new UsageError('--grid irnet|all is required');
    grid = g as GridName;
    const o = str(flags, 'out');
    if (o === undefined) throw new UsageError('--out DIR is required');
    out = o;
    base = configFromFlags(flags);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n\n${ABLATION_USAGE}`);
      return EXIT_USAGE;
    }
    throw e;
  }

  const seeds = num(flags, 'seeds') ?? 3;
  const firstSeed = num(flags, 'first-seed') ?? 1;
  const resume = bool(flags, 'resume');
  const only = str(flags, 'rows')?.split(',').map((r) => r.trim());
  let plan: ReturnType<typeof planGrid>;
  let rows: ReturnType<typeof gridRows>;
  try {
    plan = planGrid(grid, base, seeds, firstSeed, only);
    rows = gridRows(grid, only);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    io.stderr(`error: --rows: ${e.message}\n\n${ABLATION_USAGE}`);
    return EXIT_USAGE;
  }
  const started = performance.now();
  const records: AblationRunRecord[] = [];
  const teachers = new Map<number, { model: BnnModel; info: TeacherInfo }>();
  try {
    const backend = await startNodeBackend(base.backend);
    const data = loadDatasetNode(base.dataset);
    mkdirSync(out, { recursive: true });
    const write = (complete: boolean): string => {
      const table = aggregateAblation(rows, records);
      const markdown = ablationMarkdown(table);
      const doc = {
        format: ABLATION_FORMAT,
        version: 1,
        grid,
        seeds: Array.from({ length: seeds }, (_, i) => firstSeed + i),
        base,
        backend,
        environment: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length, tfjs: tf.version.tfjs },
        command: `npm run ablation -- ${argv.join(' ')}`,
        wallMs: performance.now() - started,
        complete,
        runs: records,
        table,
        markdown,
      };
      writeFileSync(join(out, 'ablation.json'), `${JSON.stringify(doc, null, 1)}\n`);
      writeFileSync(join(out, 'ablation.md'), markdown);
      return markdown;
    };
    io.stderr(`ablation   grid ${grid}: ${rows.length} rows x ${seeds} seeds = ${plan.length} runs of ${base.steps} steps on ${backend}\n`);
    for (let i = 0; i < plan.length; i++) {
      const p = plan[i];
      const dir = join(out, 'runs', `${p.row.id}-s${p.seed}`);
      const label = `[${i + 1}/${plan.length}] ${p.row.id} s${p.seed}`;
      let metrics = resume ? finishedRun(dir, p.config) : null;
      let snapshotTeacher: { model: BnnModel; info: TeacherInfo } | undefined;
      if (metrics) {
        io.stderr(`${label} reused from ${dir}\n`);
      } else {
        const teacher = p.teacherRow ? teachers.get(p.seed) ?? loadTeacherDir(join(out, 'runs', `${p.teacherRow}-s${p.seed}`), p.config, data.numClasses) : undefined;
        if (teacher && !teachers.has(p.seed)) teachers.set(p.seed, teacher);
        const result = await trainRun({ config: p.config, data, out: dir, io, label, teacher, statsEvery: num(flags, 'stats-every') });
        metrics = result.metrics;
        if (p.row.id === 'fp' && plan.some((q) => q.seed === p.seed && q.teacherRow === 'fp')) {
          snapshotTeacher = {
            model: BnnModel.fromSnapshot(p.config, data.numClasses, result.snapshot),
            info: { source: 'trained', path: dir, testAccuracy: metrics.final.testAccuracy },
          };
        }
      }
      if (snapshotTeacher) {
        teachers.get(p.seed)?.model.dispose();
        teachers.set(p.seed, snapshotTeacher);
      }
      // A teacher is needed only within its seed.
      for (const [seed, t] of teachers) {
        if (!plan.slice(i + 1).some((q) => q.seed === seed && q.teacherRow !== null)) {
          t.model.dispose();
          teachers.delete(seed);
        }
      }
      if (metrics.outcome.status !== 'finished') {
        io.stderr(`${label} ${metrics.outcome.status}: ${metrics.outcome.message ?? ''}; its last evaluation is used\n`);
      }
      records.push(recordOf(metrics, p.row.id, dir));
      write(false);
      const rec = records[records.length - 1];
      const spread = rec.evalSpreadAfter20 === null ? 'n/a' : `${rec.evalSpreadAfter20.toFixed(2)} pts`;
      const bn = rec.maxSignDisagreement === null ? '' : `, worst BN sign disagreement ${(100 * rec.maxSignDisagreement).toFixed(2)}%`;
      io.stderr(
        `${label} test accuracy ${((metrics.final.testAccuracy ?? 0) * 100).toFixed(2)}% in ${formatDuration(metrics.timing.trainMs)}; ` +
          `evaluations after 20% within ${spread} of the final${bn}; ${formatDuration(performance.now() - started)} elapsed\n`,
      );
    }
    const markdown = write(true);
    io.stdout(
      `\nGrid ${grid}, ${base.dataset}, ResNet-${base.depth} width ${base.width}, ${base.steps} steps x batch ${base.batchSize}, ` +
        `seeds ${firstSeed}..${firstSeed + seeds - 1}, ${backend}; ${formatDuration(performance.now() - started)} wall time\n\n${markdown}`,
    );
    return EXIT_OK;
  } catch (e) {
    io.stderr(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAILURE;
  } finally {
    for (const t of teachers.values()) t.model.dispose();
  }
}

runIfEntry(import.meta.url, main);
