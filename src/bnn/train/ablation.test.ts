import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, matchPreset } from '../config';
import {
  ABLATION_ROWS,
  ablationMarkdown,
  aggregateAblation,
  bestBinaryRow,
  formatTableRow,
  gridRows,
  planGrid,
  vsVanillaCell,
  type AblationRunResult,
} from './ablation';

const run = (row: string, seed: number, acc: number, entropy: number | null, trainMs = 1000, modelBytes = 100): AblationRunResult => ({
  row,
  seed,
  testAccuracy: acc,
  weightEntropy: entropy,
  trainMs,
  modelBytes,
});

describe('aggregateAblation', () => {
  const rows = gridRows('irnet');
  const results = [
    run('fp', 1, 0.98, null, 1000, 500),
    run('fp', 2, 0.97, null, 2000, 500),
    run('fp', 3, 0.99, null, 3000, 500),
    run('vanilla', 3, 0.94, 0.95, 3000),
    run('vanilla', 1, 0.9, 0.9, 1000),
    run('vanilla', 2, 0.92, 1.0, 2000),
    run('irnet', 1, 0.95, 1.0, 4000, 120),
    run('bireal', 1, 0.5, 1.0), // not in the irnet grid: ignored
  ];
  const table = aggregateAblation(rows, results);

  it('keeps grid order and skips rows without results', () => {
    expect(table.map((r) => r.id)).toEqual(['fp', 'vanilla', 'irnet']);
  });

  it('FP: mean 98 ± 1, gap 0, no entropy', () => {
    const fp = table[0];
    expect(fp.seeds).toEqual([1, 2, 3]);
    expect(fp.accuracyMean).toBeCloseTo(98, 10);
    expect(fp.accuracyStd).toBeCloseTo(1, 10);
    expect(fp.gapToFp).toBeCloseTo(0, 10);
    expect(fp.weightEntropy).toBeNull();
    expect(fp.trainMsMean).toBe(2000);
    expect(fp.modelBytes).toBe(500);
  });

  it('vanilla: mean 92 ± 2, gap −6, entropy 0.95', () => {
    const v = table[1];
    expect(v.seeds).toEqual([1, 2, 3]);
    expect(v.accuracyMean).toBeCloseTo(92, 10);
    expect(v.accuracyStd).toBeCloseTo(2, 10);
    expect(v.gapToFp).toBeCloseTo(-6, 10);
    expect(v.weightEntropy).toBeCloseTo(0.95, 12);
    expect(v.trainMsMean).toBe(2000);
  });

  it('one seed: no std, gap −3', () => {
    const r = table[2];
    expect(r.accuracyMean).toBeCloseTo(95, 10);
    expect(r.accuracyStd).toBeNull();
    expect(r.gapToFp).toBeCloseTo(-3, 10);
    expect(r.ci95).toBeNull();
    expect(r.vsVanilla).toBeNull();
    expect(formatTableRow(r)).toEqual(['IR-Net (Libra-PB + EDE)', '95.00 ± –', '–', '−3.00', '–', '1.0000', '4.0 s', '120 B (120)', '1']);
  });

  it('without an FP row the gap is unknown', () => {
    const t = aggregateAblation(rows, results.filter((r) => r.row !== 'fp'));
    expect(t.every((r) => r.gapToFp === null)).toBe(true);
  });

  it('prints a markdown table with one line per row', () => {
    const md = ablationMarkdown(table).trim().split('\n');
    expect(md).toHaveLength(2 + 3);
    expect(md[0]).toMatch(/^\| Preset \| Test acc\. % \(mean ± std\) \| 95% CI \| Gap to FP \(pts\) \| vs vanilla/);
    // t_{0.975,2} = 0.95 / √(2 · 0.975 · 0.025) = 4.3027; FP: 98 ± 4.3027 · 1/√3 = 98 ± 2.48
    expect(md[2]).toBe('| FP (full precision) | 98.00 ± 1.00 | 95.52 – 100.48 | — | — | — | 2.0 s | 500 B (500) | 3 |');
    expect(md[3]).toBe('| Vanilla BNN (sign(w) + STE (clipped)) | 92.00 ± 2.00 | 87.03 – 96.97 | −6.00 | — | 0.9500 | 2.0 s | 100 B (100) | 3 |');
  });

  it("states each row's difference to vanilla with Welch's p and marks it not significant", () => {
    // librapb-ste 95, 96, 97 against vanilla 90, 92, 94: +4 points, df = 50/17, p between 0.01 and 0.1
    const extra = [0.95, 0.96, 0.97].map((a, i) => run('librapb-ste', i + 1, a, 1));
    const t = aggregateAblation(rows, [...results, ...extra]);
    const row = t.find((r) => r.id === 'librapb-ste')!;
    expect(row.vsVanilla!.difference).toBeCloseTo(4, 10);
    expect(row.vsVanilla!.df).toBeCloseTo(50 / 17, 10);
    const cell = vsVanillaCell(row);
    expect(cell).toMatch(new RegExp(`^\\+4\\.00 \\(p = ${row.vsVanilla!.p.toFixed(2).replace('.', '\\.')}(, n\\.s\\.)?\\)$`));
    expect(cell.endsWith(', n.s.)')).toBe(row.vsVanilla!.p >= 0.05);
    // a clearly separated row is significant
    const far = [0.99, 0.995, 0.999].map((a, i) => run('none-ede', i + 1, a, 1));
    const sig = aggregateAblation(rows, [...results, ...far]).find((r) => r.id === 'none-ede')!;
    expect(sig.vsVanilla!.p).toBeLessThan(0.05);
    expect(vsVanillaCell(sig)).not.toContain('n.s.');
  });

  it('has no moving-average column unless every run has that accuracy', () => {
    expect(table.every((r) => r.moving === null)).toBe(true);
    const partial = aggregateAblation(rows, results.map((r, i) => ({ ...r, movingAccuracy: i === 0 ? null : 0.9 })));
    expect(partial.every((r) => r.moving === null)).toBe(true);
  });

  it('adds the accuracy with the BN moving averages: mean ± std', () => {
    const moving: Record<string, number> = { 'fp-1': 0.97, 'fp-2': 0.98, 'fp-3': 0.99, 'vanilla-1': 0.95, 'vanilla-2': 0.93, 'vanilla-3': 0.94, 'irnet-1': 0.96, 'bireal-1': 0.6 };
    const t = aggregateAblation(rows, results.map((r) => ({ ...r, movingAccuracy: moving[`${r.row}-${r.seed}`] })));
    expect(t[0].moving!.mean).toBeCloseTo(98, 10);
    expect(t[0].moving!.std).toBeCloseTo(1, 10);
    expect(t[1].moving!.mean).toBeCloseTo(94, 10);
    expect(t[2].moving).toMatchObject({ std: null });
    expect(t.map((r) => r.accuracyMean)).toEqual(table.map((r) => r.accuracyMean));
    const md = ablationMarkdown(t).trim().split('\n');
    expect(md[0]).toMatch(/\| n \(seeds\) \| Test acc\. % BN moving averages \|$/);
    expect(md[3]).toBe('| Vanilla BNN (sign(w) + STE (clipped)) | 92.00 ± 2.00 | 87.03 – 96.97 | −6.00 | — | 0.9500 | 2.0 s | 100 B (100) | 3 | 94.00 ± 1.00 |');
  });

  it('best binary row is the highest mean that is not FP', () => {
    expect(bestBinaryRow(table)?.id).toBe('irnet');
    expect(bestBinaryRow(table.slice(0, 1))).toBeNull();
  });
});

describe('grids', () => {
  it('irnet is the 2×2 Libra-PB × EDE ablation plus FP', () => {
    const rows = gridRows('irnet');
    expect(rows.map((r) => r.id)).toEqual(['fp', 'vanilla', 'librapb-ste', 'none-ede', 'irnet']);
    const binary = rows.filter((r) => r.toggles.precision === 'binary').map((r) => `${r.toggles.weightTransform}+${r.toggles.activationEstimator}`);
    // IR-Net's EDE acts on weights and activations alike
    expect(rows.every((r) => r.toggles.activationEstimator === r.toggles.weightEstimator)).toBe(true);
    expect(binary.sort()).toEqual(['librapb+ede', 'librapb+ste', 'none+ede', 'none+ste']);
  });

  it('all adds XNOR-Net, Bi-Real, IR2Net and DIR-Net; preset rows match their presets', () => {
    expect(gridRows('all').map((r) => r.id)).toEqual(ABLATION_ROWS.map((r) => r.id));
    for (const r of ABLATION_ROWS) {
      expect(matchPreset({ ...DEFAULT_CONFIG, ...r.toggles })).toBe(r.preset);
    }
  });

  it('plans seed by seed, FP before the DIR-Net run it teaches', () => {
    const plan = planGrid('all', { ...DEFAULT_CONFIG, steps: 7 }, 2, 5);
    const n = ABLATION_ROWS.length;
    expect(plan).toHaveLength(2 * n);
    expect(plan.map((p) => p.seed)).toEqual([...Array(n).fill(5), ...Array(n).fill(6)]);
    for (const seed of [5, 6]) {
      const fp = plan.findIndex((p) => p.seed === seed && p.row.id === 'fp');
      const dir = plan.findIndex((p) => p.seed === seed && p.row.id === 'dirnet');
      expect(fp).toBeLessThan(dir);
      expect(plan[dir].teacherRow).toBe('fp');
      expect(plan[dir].config.distill).toBe(true);
    }
    expect(plan.every((p) => p.config.steps === 7 && p.config.seed === p.seed)).toBe(true);
    expect(() => planGrid('irnet', DEFAULT_CONFIG, 0)).toThrow(RangeError);
  });

  it('runs only the rows asked for, in table order, and names the rows a grid has when one is unknown', () => {
    expect(gridRows('all', ['irnet', 'fp']).map((r) => r.id)).toEqual(['fp', 'irnet']);
    const plan = planGrid('irnet', DEFAULT_CONFIG, 2, 1, ['vanilla', 'irnet']);
    expect(plan.map((p) => `${p.row.id}-s${p.seed}`)).toEqual(['vanilla-s1', 'irnet-s1', 'vanilla-s2', 'irnet-s2']);
    expect(() => gridRows('irnet', ['xnor'])).toThrow(/grid irnet has no row xnor; its rows are fp, vanilla, librapb-ste, none-ede, irnet/);
    expect(() => gridRows('all', [])).toThrow(RangeError);
  });
});
