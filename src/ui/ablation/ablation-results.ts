import { ABLATION_ROWS, type AblationRowSpec, type AblationRunResult } from '../../bnn/train/ablation';
import type { RunRecord } from '../../state/runs';
import { predictedFileBytes } from '../summary/predicted-size';

/**
 * The runs of one ablation group as the shared table code (bnn/train/ablation.ts) takes them:
 * its row specs in table order and one result per finished run. A run that predates the row
 * and seed on its group is matched to a row by its toggles.
 */
export function ablationInputs(runs: readonly RunRecord[]): { specs: AblationRowSpec[]; results: AblationRunResult[]; rowOf: (r: RunRecord) => string | null } {
  const rowOf = (r: RunRecord): string | null => r.group?.row ?? ABLATION_ROWS.find((spec) => matches(spec, r))?.id ?? null;
  const present = new Set(runs.map(rowOf));
  const specs = ABLATION_ROWS.filter((s) => present.has(s.id));
  const results: AblationRunResult[] = [];
  for (const r of runs) {
    const row = rowOf(r);
    const last = r.evals.at(-1);
    if (!row || r.state !== 'finished' || !last) continue;
    const stats = r.layerStats.at(-1);
    results.push({
      row,
      seed: r.group?.seed ?? r.config.seed,
      testAccuracy: last.testAccuracy,
      weightEntropy: stats && stats.layers.length ? stats.layers.reduce((a, l) => a + l.weightEntropy, 0) / stats.layers.length : null,
      trainMs: r.trainMs,
      modelBytes: r.exportBytes ?? predictedFileBytes(r.config) ?? 0,
      movingAccuracy: last.movingAccuracy ?? null,
    });
  }
  return { specs, results, rowOf };
}

function matches(spec: AblationRowSpec, r: RunRecord): boolean {
  const t = spec.toggles;
  const c = r.config;
  if (t.precision === 'full' || c.precision === 'full') return t.precision === c.precision;
  return (Object.keys(t) as (keyof typeof t)[]).every((k) => t[k] === c[k]);
}
