/**
 * The ablation grid and its table, in plain TypeScript (no tfjs, no Node): the CLI
 * (`npm run ablation`) and the browser's ablation view build the same runs from the same base
 * config and aggregate them with the same functions, so the same seeds on the same backend give
 * the same numbers.
 *
 * Grids:
 *   irnet — IR-Net's ablation: {none, Libra-PB} × {STE, EDE}, plus the FP model;
 *   all   — irnet plus XNOR-Net, Bi-Real, IR2Net, DIR-Net (whose RBD teacher is the FP row's
 *           run of the same seed) and ReActNet.
 *
 * Table columns, per row over its seeds (statistics.ts):
 *   test accuracy  mean ± sample std (n − 1) over seeds, in percent; std is null for one seed;
 *   95% CI         m ± t_{0.975, n−1} · s/√n of the mean (null for one seed);
 *   gap to FP      row mean − FP mean, in percentage points (negative = below FP);
 *   vs vanilla     row mean − vanilla mean in points, with Welch's two-sided p (α = 0.05: "n.s."
 *                  when p ≥ 0.05); null without two seeds in both rows;
 *   weight entropy mean over seeds of the final mean over binary convs of H(p), p = share of
 *                  +1 in Bw (1 bit = balanced); null for the FP row;
 *   training time  mean wall time of one run (a DIR-Net run excludes its teacher's);
 *   model size     bytes of the exported .safetensors file (the same for every seed);
 * and, when every run of the table has it, the test accuracy with the BN moving averages instead
 * of the calibrated statistics (mean ± std).
 */
import { PRESETS, type PresetName, type RunConfig } from '../config';
import { techniqueLabel } from '../technique-label';
import { confidenceInterval95, mean, sampleStd, welchTest, type WelchResult } from './statistics';

export { mean, sampleStd } from './statistics';

/** Significance level of the tables' "n.s." marks. */
export const SIGNIFICANCE = 0.05;

export type GridName = 'irnet' | 'all';
export const GRID_NAMES: readonly GridName[] = ['irnet', 'all'];

type Toggles = Pick<
  RunConfig,
  'precision' | 'weightTransform' | 'activationEstimator' | 'weightEstimator' | 'restriction' | 'recovery' | 'distill'
>;

export interface AblationRowSpec {
  /** Stable key (file names, JSON). */
  id: string;
  label: string;
  /** The preset the row's toggles equal, if any. */
  preset: PresetName | null;
  toggles: Toggles;
  /** Trains with the FP row's run of the same seed as its RBD teacher. */
  needsTeacher: boolean;
}

/** An IR-Net grid cell: the estimator applies to weights and activations alike, as in IR-Net. */
function binary(weightTransform: RunConfig['weightTransform'], estimator: RunConfig['activationEstimator']): Toggles {
  return { precision: 'binary', weightTransform, activationEstimator: estimator, weightEstimator: estimator, restriction: false, recovery: 'off', distill: false };
}

/** A preset's row, labelled "IR-Net (Libra-PB + EDE)": the preset and its techniques in the registries' words. */
function presetRow(id: string, preset: PresetName): AblationRowSpec {
  const toggles = { ...PRESETS[preset].toggles };
  return { id, label: `${PRESETS[preset].label} (${techniqueLabel(toggles)})`, preset, toggles, needsTeacher: toggles.distill };
}

function comboRow(id: string, toggles: Toggles): AblationRowSpec {
  return { id, label: techniqueLabel(toggles), preset: null, toggles, needsTeacher: false };
}

/** Every row either grid can hold, in table order. */
export const ABLATION_ROWS: readonly AblationRowSpec[] = [
  presetRow('fp', 'fp'),
  presetRow('vanilla', 'vanilla'),
  comboRow('librapb-ste', binary('librapb', 'ste')),
  comboRow('none-ede', binary('none', 'ede')),
  presetRow('irnet', 'irnet'),
  presetRow('xnor', 'xnor'),
  presetRow('bireal', 'bireal'),
  presetRow('ir2net', 'ir2net'),
  presetRow('dirnet', 'dirnet'),
  presetRow('reactnet', 'reactnet'),
];

const IRNET_IDS = ['fp', 'vanilla', 'librapb-ste', 'none-ede', 'irnet'];

/**
 * The grid's rows in table order; with `only`, just those rows of it (a grid too long for the
 * time at hand can run part by part, or with the rows a question needs).
 */
export function gridRows(grid: GridName, only?: readonly string[]): AblationRowSpec[] {
  const rows = grid === 'irnet' ? ABLATION_ROWS.filter((r) => IRNET_IDS.includes(r.id)) : [...ABLATION_ROWS];
  if (only === undefined) return rows;
  const unknown = only.filter((id) => !rows.some((r) => r.id === id));
  if (unknown.length > 0) throw new RangeError(`grid ${grid} has no row ${unknown.join(', ')}; its rows are ${rows.map((r) => r.id).join(', ')}`);
  if (only.length === 0) throw new RangeError('no rows chosen');
  return rows.filter((r) => only.includes(r.id));
}

/** The config of one cell: the base config with the row's toggles and the seed. */
export function rowConfig(base: RunConfig, row: AblationRowSpec, seed: number): RunConfig {
  return { ...base, ...row.toggles, seed, teacherRunId: null };
}

export interface PlannedRun {
  row: AblationRowSpec;
  seed: number;
  config: RunConfig;
  /** Row id whose run of the same seed is the teacher ('fp'), or null. */
  teacherRow: string | null;
}

/**
 * The runs of a grid, seed by seed (so a partial grid is a complete table for its first seeds),
 * rows in table order within a seed — the FP run always precedes the DIR-Net run it teaches.
 * Seeds are `firstSeed, firstSeed + 1, …`.
 */
export function planGrid(grid: GridName, base: RunConfig, seeds: number, firstSeed = 1, only?: readonly string[]): PlannedRun[] {
  if (!Number.isInteger(seeds) || seeds < 1) throw new RangeError(`seeds must be a positive integer, got ${seeds}`);
  const rows = gridRows(grid, only);
  const out: PlannedRun[] = [];
  for (let s = 0; s < seeds; s++) {
    for (const row of rows) {
      out.push({ row, seed: firstSeed + s, config: rowConfig(base, row, firstSeed + s), teacherRow: row.needsTeacher ? 'fp' : null });
    }
  }
  return out;
}

/** What the table needs from one finished run. */
export interface AblationRunResult {
  row: string;
  seed: number;
  /** Final test accuracy in [0, 1]. */
  testAccuracy: number;
  /** Final mean weight entropy over binary convs in bits; null for a full-precision model. */
  weightEntropy: number | null;
  /** Wall time of the training run in ms. */
  trainMs: number;
  /** Exported model file size in bytes. */
  modelBytes: number;
  /** Final test accuracy in [0, 1] with the BN moving averages (before calibration), if measured. */
  movingAccuracy?: number | null;
}

/** A row's accuracies over its seeds: percent, sample std. */
export interface AccuracyStats {
  mean: number;
  /** Sample std (n − 1) in percent; null with fewer than two seeds. */
  std: number | null;
}

export interface AblationTableRow {
  id: string;
  label: string;
  seeds: number[];
  /** Per seed, percent, in seed order. */
  accuracies: number[];
  /** Percent. */
  accuracyMean: number;
  /** Sample std (n − 1) in percent; null with fewer than two seeds. */
  accuracyStd: number | null;
  /** 95% confidence interval of the mean, percent; null with fewer than two seeds. */
  ci95: [number, number] | null;
  /** accuracyMean − FP's accuracyMean in percentage points; null without an FP row. */
  gapToFp: number | null;
  /** Welch's test against the vanilla row (difference in points); null for vanilla, FP or too few seeds. */
  vsVanilla: WelchResult | null;
  weightEntropy: number | null;
  trainMsMean: number;
  modelBytes: number;
  /** Test accuracy with the BN moving averages; null unless every run of the table has it. */
  moving: AccuracyStats | null;
}

/**
 * One table row per row spec that has at least one result, in the specs' order. Results of
 * rows not in `rows` are ignored; a row's results are taken over whatever seeds it has.
 */
export function aggregateAblation(rows: readonly AblationRowSpec[], results: readonly AblationRunResult[]): AblationTableRow[] {
  const table: AblationTableRow[] = [];
  const used = results.filter((r) => rows.some((spec) => spec.id === r.row));
  const withMoving = used.length > 0 && used.every((r) => typeof r.movingAccuracy === 'number');
  for (const spec of rows) {
    const mine = used.filter((r) => r.row === spec.id).sort((a, b) => a.seed - b.seed);
    if (mine.length === 0) continue;
    const acc = mine.map((r) => 100 * r.testAccuracy);
    const entropies = mine.map((r) => r.weightEntropy).filter((e): e is number => e !== null);
    const moving = mine.map((r) => 100 * (r.movingAccuracy ?? NaN));
    table.push({
      id: spec.id,
      label: spec.label,
      seeds: mine.map((r) => r.seed),
      accuracies: acc,
      accuracyMean: mean(acc),
      accuracyStd: sampleStd(acc),
      ci95: confidenceInterval95(acc),
      gapToFp: null,
      vsVanilla: null,
      weightEntropy: entropies.length ? mean(entropies) : null,
      trainMsMean: mean(mine.map((r) => r.trainMs)),
      modelBytes: Math.round(mean(mine.map((r) => r.modelBytes))),
      moving: withMoving ? { mean: mean(moving), std: sampleStd(moving) } : null,
    });
  }
  const fp = table.find((r) => r.id === 'fp');
  const vanilla = table.find((r) => r.id === 'vanilla');
  for (const r of table) {
    if (fp) r.gapToFp = r.accuracyMean - fp.accuracyMean;
    if (vanilla && r.id !== 'vanilla' && r.id !== 'fp') r.vsVanilla = welchTest(r.accuracies, vanilla.accuracies);
  }
  return table;
}

function signed(v: number, digits: number): string {
  const s = v.toFixed(digits);
  if (Number(s) === 0) return (0).toFixed(digits);
  return v > 0 ? `+${s}` : `−${s.slice(1)}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(2)} MiB`;
}

function accuracyCell(m: number, std: number | null): string {
  return `${m.toFixed(2)} ± ${std === null ? '–' : std.toFixed(2)}`;
}

function gapCell(id: string, gap: number | null): string {
  return id === 'fp' ? '—' : gap === null ? '–' : signed(gap, 2);
}

function ciCell(ci: [number, number] | null): string {
  return ci === null ? '–' : `${ci[0].toFixed(2)} – ${ci[1].toFixed(2)}`;
}

/** "+0.42 (p = 0.31, n.s.)": the difference to vanilla in points and Welch's p. */
export function vsVanillaCell(r: AblationTableRow): string {
  if (r.id === 'vanilla' || r.id === 'fp') return '—';
  if (!r.vsVanilla) return '–';
  const { difference, p } = r.vsVanilla;
  const pText = p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(p < 0.01 ? 3 : 2)}`;
  return `${signed(difference, 2)} (${pText}${p >= SIGNIFICANCE ? ', n.s.' : ''})`;
}

/** The cells of one table row as shown (markdown and the browser view alike). */
export function formatTableRow(r: AblationTableRow): string[] {
  const ent = r.weightEntropy === null ? '—' : r.weightEntropy.toFixed(4);
  const cells = [
    r.label,
    accuracyCell(r.accuracyMean, r.accuracyStd),
    ciCell(r.ci95),
    gapCell(r.id, r.gapToFp),
    vsVanillaCell(r),
    ent,
    `${(r.trainMsMean / 1000).toFixed(1)} s`,
    `${formatBytes(r.modelBytes)} (${r.modelBytes})`,
    String(r.seeds.length),
  ];
  if (r.moving) cells.push(accuracyCell(r.moving.mean, r.moving.std));
  return cells;
}

export const TABLE_HEADER = [
  'Preset',
  'Test acc. % (mean ± std)',
  '95% CI',
  'Gap to FP (pts)',
  'vs vanilla (pts, Welch p)',
  'Weight entropy (bits)',
  'Train time / run',
  'Model size (bytes)',
  'n (seeds)',
] as const;

/** The extra column of a table whose runs were also evaluated with the BN moving averages. */
export const MOVING_HEADER = ['Test acc. % BN moving averages'] as const;

/** GitHub markdown table of the aggregated rows. */
export function ablationMarkdown(table: readonly AblationTableRow[]): string {
  const header: string[] = [...TABLE_HEADER, ...(table.some((r) => r.moving) ? MOVING_HEADER : [])];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  for (const r of table) lines.push(`| ${formatTableRow(r).join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}

/** The best binary row by mean accuracy (ties: the first in table order), or null. */
export function bestBinaryRow(table: readonly AblationTableRow[]): AblationTableRow | null {
  let best: AblationTableRow | null = null;
  for (const r of table) if (r.id !== 'fp' && (best === null || r.accuracyMean > best.accuracyMean)) best = r;
  return best;
}
