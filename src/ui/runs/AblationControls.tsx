import { useState } from 'react';
import { useRuns, type RunRecord } from '../../state/runs';

/** One click queues the IR-Net ablation; its result table appears as the runs finish. */
export function AblationControls() {
  const [withFp, setWithFp] = useState(true);
  const queueAblation = useRuns((s) => s.queueAblation);
  const runs = useRuns((s) => s.runs);
  const lastGroup = [...runs].reverse().find((r) => r.group)?.group;
  const rows = lastGroup ? runs.filter((r) => r.group?.id === lastGroup.id) : [];
  return (
    <div className="ablation">
      <div className="ablation-controls">
        <button type="button" onClick={() => queueAblation(withFp)} data-testid="queue-ablation">
          Run the IR-Net ablation
        </button>
        <label>
          <input type="checkbox" checked={withFp} onChange={(e) => setWithFp(e.target.checked)} data-testid="ablation-fp" /> include FP
        </label>
        <span className="muted">{'{none, Libra-PB} × {STE, EDE}'} on the current dataset, model, steps and seed</span>
      </div>
      {lastGroup && <AblationTable label={lastGroup.label} rows={rows} />}
    </div>
  );
}

function AblationTable({ label, rows }: { label: string; rows: RunRecord[] }) {
  const fp = rows.find((r) => r.config.precision === 'full');
  const acc = (r: RunRecord): number | null => (r.state === 'finished' && r.evals.length ? r.evals[r.evals.length - 1].testAccuracy : null);
  const fpAcc = fp ? acc(fp) : null;
  const entropy = (r: RunRecord): number | null => {
    const s = r.layerStats[r.layerStats.length - 1];
    return s ? s.layers.reduce((a, l) => a + l.weightEntropy, 0) / s.layers.length : null;
  };
  return (
    <table className="ablation-table" data-testid="ablation-table">
      <caption>{label}</caption>
      <thead>
        <tr>
          <th>Weights</th>
          <th>Estimator</th>
          <th>Test accuracy</th>
          <th>Gap to FP</th>
          <th>Weight entropy (bits)</th>
          <th>Training time</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const a = acc(r);
          const e = entropy(r);
          return (
            <tr key={r.id} data-testid="ablation-row">
              <td>{r.config.precision === 'full' ? 'full precision' : r.config.weightTransform === 'librapb' ? 'Libra-PB' : 'sign'}</td>
              <td>{r.config.precision === 'full' ? '—' : r.config.activationEstimator.toUpperCase()}</td>
              <td data-testid="ablation-accuracy">{a === null ? r.state : `${(100 * a).toFixed(2)}%`}</td>
              <td>{a !== null && fpAcc !== null && r !== fp ? `${(100 * (a - fpAcc)).toFixed(2)}` : '—'}</td>
              <td>{e === null ? '—' : e.toFixed(3)}</td>
              <td>{r.trainMs ? `${(r.trainMs / 1000).toFixed(1)} s` : '—'}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
