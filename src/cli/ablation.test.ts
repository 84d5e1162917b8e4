import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ABLATION_ROWS, aggregateAblation, gridRows, type AblationTableRow } from '../bnn/train/ablation';
import type { CliIO } from './args';
import { evalSpreadAfter20, main } from './ablation';
import type { RunMetrics } from './run';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'bnn-ablation-cli-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function io(): CliIO & { out: string; err: string } {
  const c = { out: '', err: '', isTTY: false, stdout: (t: string) => void (c.out += t), stderr: (t: string) => void (c.err += t) };
  return c;
}

interface AblationJson {
  format: string;
  grid: string;
  seeds: number[];
  complete: boolean;
  runs: {
    row: string; seed: number; dir: string; status: string; testAccuracy: number; weightEntropy: number | null; trainMs: number; modelBytes: number;
    movingAccuracy: number | null;
  }[];
  table: AblationTableRow[];
  markdown: string;
}

const readJson = (dir: string): AblationJson => JSON.parse(readFileSync(join(dir, 'ablation.json'), 'utf8')) as AblationJson;
const metricsOf = (dir: string): RunMetrics => JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as RunMetrics;

describe('npm run ablation', () => {
  const out = () => join(tmp, 'grid');
  const TINY = ['--grid', 'all', '--seeds', '1', '--first-seed', '4', '--steps', '1', '--depth', '8', '--width', '8', '--batch', '2', '--eval-limit', '20', '--bn-calibration', '20', '--dataset', 'mnist-small'];

  it('runs every row of --grid all, DIR-Net taught by the FP run, and writes the table as markdown and JSON', async () => {
    const c = io();
    expect(await main([...TINY, '--out', out()], c), c.err).toBe(0);
    const doc = readJson(out());
    expect(doc.format).toBe('bnn-playground-ablation');
    expect(doc.complete).toBe(true);
    expect(doc.seeds).toEqual([4]);
    expect(doc.runs.map((r) => r.row)).toEqual(ABLATION_ROWS.map((r) => r.id));
    for (const r of doc.runs) {
      for (const f of ['model.safetensors', 'metrics.json', 'predictions.json']) expect(existsSync(join(r.dir, f)), `${r.row} ${f}`).toBe(true);
    }
    const dirnet = metricsOf(join(out(), 'runs', 'dirnet-s4'));
    expect(dirnet.teacher).toMatchObject({ source: 'trained', path: join(out(), 'runs', 'fp-s4') });
    expect(dirnet.config).toMatchObject({ distill: true, weightTransform: 'imb', activationEstimator: 'dte', weightEstimator: 'dte', seed: 4, steps: 1 });
    expect(dirnet.evals.map((e) => e.step)).toEqual([1]);

    // the table is the pure aggregation of the runs
    expect(doc.table).toEqual(aggregateAblation(gridRows('all'), doc.runs));
    expect(readFileSync(join(out(), 'ablation.md'), 'utf8')).toBe(doc.markdown);
    expect(c.out).toContain(doc.markdown);
    expect(doc.markdown.trim().split('\n')).toHaveLength(2 + ABLATION_ROWS.length);
    expect(doc.table[0]).toMatchObject({ id: 'fp', weightEntropy: null, gapToFp: 0, accuracyStd: null });
    expect(doc.table.filter((r) => r.id !== 'fp').every((r) => r.weightEntropy !== null && r.weightEntropy > 0)).toBe(true);
  });

  it('--resume reuses finished runs; a rerun DIR-Net reads its teacher from the FP folder and trains the same', async () => {
    const before = readJson(out());
    const dirnetDir = join(out(), 'runs', 'dirnet-s4');
    const original = metricsOf(dirnetDir);
    rmSync(join(dirnetDir, 'metrics.json'));
    const c = io();
    expect(await main([...TINY, '--out', out(), '--resume'], c), c.err).toBe(0);
    expect(c.err.match(/reused from/g)).toHaveLength(ABLATION_ROWS.length - 1);
    const rerun = metricsOf(dirnetDir);
    expect(rerun.teacher).toMatchObject({ source: 'file', path: join(out(), 'runs', 'fp-s4') });
    expect(rerun.steps.map((s) => s.loss)).toEqual(original.steps.map((s) => s.loss));
    expect(rerun.final).toEqual(original.final);
    const after = readJson(out());
    const accuracies = (d: AblationJson) => d.table.map((r) => [r.id, r.accuracyMean, r.weightEntropy]);
    expect(accuracies(after)).toEqual(accuracies(before));
  });

  it('adds the BN moving averages column: every run is calibrated and also measured without', () => {
    const doc = readJson(out());
    expect(doc.runs.every((r) => r.movingAccuracy !== null && r.movingAccuracy >= 0 && r.movingAccuracy <= 1)).toBe(true);
    const fp = doc.table.find((r) => r.id === 'fp')!;
    expect(fp.moving).toMatchObject({ mean: 100 * doc.runs[0].movingAccuracy!, std: null });
    const header = doc.markdown.split('\n')[0];
    expect(header).toContain('| Test acc. % BN moving averages |');
    expect(doc.markdown.split('\n')[2].split('|')).toHaveLength(header.split('|').length);
  });

  it.each<[string, string[], RegExp]>([
    ['no grid', ['--out', 'x'], /--grid irnet\|all is required/],
    ['unknown grid', ['--grid', 'ir2', '--out', 'x'], /--grid must be one of irnet, all/],
    ['no out', ['--grid', 'irnet'], /--out DIR is required/],
    ['zero seeds', ['--grid', 'irnet', '--out', 'x', '--seeds', '0'], /--seeds must be at least 1/],
    ['a per-run flag', ['--grid', 'irnet', '--out', 'x', '--preset', 'fp'], /unknown option --preset/],
    ['a row the grid lacks', ['--grid', 'irnet', '--out', 'x', '--rows', 'fp,dirnet'], /--rows: grid irnet has no row dirnet/],
  ])('bad arguments (%s) print usage and exit with 2', async (_name, argv, message) => {
    const c = io();
    expect(await main(argv, c)).toBe(2);
    expect(c.err).toMatch(message);
    expect(c.err).toContain('Usage: npm run ablation');
  });
});

describe('stability of a run', () => {
  it('is the largest distance of an evaluation after 20% of training from the final one, in points', () => {
    const evals = [0.5, 0.9, 0.95, 0.96].map((a, i) => ({ step: [10, 30, 60, 100][i], testAccuracy: a, testLoss: 0 }));
    const m = { config: { steps: 100 }, evals } as unknown as RunMetrics;
    expect(evalSpreadAfter20(m)).toBeCloseTo(6, 10);
    expect(evalSpreadAfter20({ ...m, evals: evals.slice(0, 1) })).toBeNull();
  });
});
