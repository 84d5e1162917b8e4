/**
 * The ablation grid and its table, in plain TypeScript (no tfjs, no Node): the CLI
 * (`npm run ablation`) and the browser's ablation view build the same runs from the same base
 * config and aggregate them with the same functions, so the same seeds on the same backend give
 * the same numbers.
 *
 * Grids:
 *   irnet — IR-Net's ablation: {none, Libra-PB} × {STE, EDE}, plus the FP model;
 *   all   — irnet plus XNOR-Net, Bi-Real, IR2Net and DIR-Net (whose RBD teacher is the FP row's
 *           run of the same seed).
 *
 * Table columns, per row over its seeds:
 *   test accuracy  mean ± sample std (n − 1) over seeds, in percent; std is null for one seed;
 *   gap to FP      row mean − FP mean, in percentage points (negative = below FP);
 *   weight entropy mean over seeds of the final mean over binary convs of H(p), p = share of
 *                  +1 in Bw (1 bit = balanced); null for the FP row;
 *   training time  mean wall time of one run (a DIR-Net run excludes its teacher's);
 *   model size     bytes of the exported .safetensors file (the same for every seed);
 * and, when every run of the table also has it, test accuracy with BN statistics re-estimated
 * after training (bn-reestimate.ts; mean ± std, and its gap to FP's re-estimated mean).
 */
import { PRESETS, type PresetName, type RunConfig } from '../config';

export type GridName = 'irnet' | 'all';
export const GRID_NAMES: readonly GridName[] = ['irnet', 'all'];

type Toggles = Pick<RunConfig, 'precision' | 'weightTransform' | 'estimator' | 'restriction' | 'recovery' | 'distill'>;

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

function binary(weightTransform: RunConfig['weightTransform'], estimator: RunConfig['estimator']): Toggles {
  return { precision: 'binary', weightTransform, estimator, restriction: false, recovery: 'off', distill: false };
}

function presetRow(id: string, preset: PresetName, label = PRESETS[preset].label): AblationRowSpec {
  return { id, label, preset, toggles: { ...PRESETS[preset].toggles }, needsTeacher: PRESETS[preset].toggles.distill };
}

/** Every row either grid can hold, in table order. */
export const ABLATION_ROWS: readonly AblationRowSpec[] = [
  presetRow('fp', 'fp', 'FP (full precision)'),
  presetRow('vanilla', 'vanilla', 'Vanilla (none + STE)'),
  { id: 'librapb-ste', label: 'Libra-PB + STE', preset: null, toggles: binary('librapb', 'ste'), needsTeacher: false },
  { id: 'none-ede', label: 'none + EDE', preset: null, toggles: binary('none', 'ede'), needsTeacher: false },
  presetRow('irnet', 'irnet', 'IR-Net (Libra-PB + EDE)'),
  presetRow('xnor', 'xnor', 'XNOR-Net (scale + STE)'),
  presetRow('bireal', 'bireal', 'Bi-Real (none + ApproxSign)'),
  presetRow('ir2net', 'ir2net', 'IR2Net (restriction + compact recovery)'),
  presetRow('dirnet', 'dirnet', 'DIR-Net (IMB + DTE + RBD)'),
];

const IRNET_IDS = ['fp', 'vanilla', 'librapb-ste', 'none-ede', 'irnet'];

export function gridRows(grid: GridName): AblationRowSpec[] {
  return grid === 'irnet' ? ABLATION_ROWS.filter((r) => IRNET_IDS.includes(r.id)) : [...ABLATION_ROWS];
}

export function rowById(id: string): AblationRowSpec | undefined {
  return ABLATION_ROWS.find((r) => r.id === id);
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
export function planGrid(grid: GridName, base: RunConfig, seeds: number, firstSeed = 1): PlannedRun[] {
  if (!Number.isInteger(seeds) || seeds < 1) throw new RangeError(`seeds must be a positive integer, got ${seeds}`);
  const rows = gridRows(grid);
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
  /** Final test accuracy in [0, 1] with BN statistics re-estimated, if measured. */
  bnReestimatedAccuracy?: number | null;
}

/** A row's accuracies over its seeds: percent, sample std, gap to FP in points. */
export interface AccuracyStats {
  mean: number;
  /** Sample std (n − 1) in percent; null with fewer than two seeds. */
  std: number | null;
  /** mean − FP's mean in percentage points; null without an FP row. */
  gapToFp: number | null;
}

export interface AblationTableRow {
  id: string;
  label: string;
  seeds: number[];
  /** Percent. */
  accuracyMean: number;
  /** Sample std (n − 1) in percent; null with fewer than two seeds. */
  accuracyStd: number | null;
  /** accuracyMean − FP's accuracyMean in percentage points; null without an FP row. */
  gapToFp: number | null;
  weightEntropy: number | null;
  trainMsMean: number;
  modelBytes: number;
  /** Test accuracy with BN statistics re-estimated; null unless every run of the table has it. */
  bnReestimated: AccuracyStats | null;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Sample standard deviation (n − 1); null for fewer than two values. */
export function sampleStd(values: readonly number[]): number | null {
  if (values.length < 2) return null;
  const m = mean(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) * (v - m), 0) / (values.length - 1));
}

/**
 * One table row per row spec that has at least one result, in the specs' order. Results of
 * rows not in `rows` are ignored; a row's results are taken over whatever seeds it has.
 */
export function aggregateAblation(rows: readonly AblationRowSpec[], results: readonly AblationRunResult[]): AblationTableRow[] {
  const table: AblationTableRow[] = [];
  const used = results.filter((r) => rows.some((spec) => spec.id === r.row));
  const withBn = used.length > 0 && used.every((r) => typeof r.bnReestimatedAccuracy === 'number');
  for (const spec of rows) {
    const mine = used.filter((r) => r.row === spec.id).sort((a, b) => a.seed - b.seed);
    if (mine.length === 0) continue;
    const acc = mine.map((r) => 100 * r.testAccuracy);
    const entropies = mine.map((r) => r.weightEntropy).filter((e): e is number => e !== null);
    const bn = mine.map((r) => 100 * (r.bnReestimatedAccuracy ?? NaN));
    table.push({
      id: spec.id,
      label: spec.label,
      seeds: mine.map((r) => r.seed),
      accuracyMean: mean(acc),
      accuracyStd: sampleStd(acc),
      gapToFp: null,
      weightEntropy: entropies.length ? mean(entropies) : null,
      trainMsMean: mean(mine.map((r) => r.trainMs)),
      modelBytes: Math.round(mean(mine.map((r) => r.modelBytes))),
      bnReestimated: withBn ? { mean: mean(bn), std: sampleStd(bn), gapToFp: null } : null,
    });
  }
  const fp = table.find((r) => r.id === 'fp');
  if (fp) {
    for (const r of table) {
      r.gapToFp = r.accuracyMean - fp.accuracyMean;
      if (r.bnReestimated && fp.bnReestimated) r.bnReestimated.gapToFp = r.bnReestimated.mean - fp.bnReestimated.mean;
    }
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

/** The cells of one table row as shown (markdown and the browser view alike). */
export function formatTableRow(r: AblationTableRow): string[] {
  const ent = r.weightEntropy === null ? '—' : r.weightEntropy.toFixed(4);
  const cells = [r.label, accuracyCell(r.accuracyMean, r.accuracyStd), gapCell(r.id, r.gapToFp), ent, `${(r.trainMsMean / 1000).toFixed(1)} s`, `${formatBytes(r.modelBytes)} (${r.modelBytes})`, String(r.seeds.length)];
  if (r.bnReestimated) cells.push(accuracyCell(r.bnReestimated.mean, r.bnReestimated.std), gapCell(r.id, r.bnReestimated.gapToFp));
  return cells;
}

export const TABLE_HEADER = [
  'Preset',
  'Test acc. % (mean ± std)',
  'Gap to FP (pts)',
  'Weight entropy (bits)',
  'Train time / run',
  'Model size (bytes)',
  'Seeds',
] as const;

/** The extra columns of a table whose runs were also evaluated with BN statistics re-estimated. */
export const BN_REESTIMATED_HEADER = ['Test acc. % BN re-estimated', 'Gap to FP (pts)'] as const;

/** GitHub markdown table of the aggregated rows. */
export function ablationMarkdown(table: readonly AblationTableRow[]): string {
  const header: string[] = [...TABLE_HEADER, ...(table.some((r) => r.bnReestimated) ? BN_REESTIMATED_HEADER : [])];
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
