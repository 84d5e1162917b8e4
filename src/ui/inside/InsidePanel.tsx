import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartBox } from '../charts/ChartBox';
import type { RunRecord } from '../../state/runs';
import { useThrottledRuns } from '../useThrottledRuns';
import { CHART_REFRESH_MS } from '../charts/MetricCharts';
import { estimatorCurve } from '../../bnn/train/estimator-curve';
import { LayerSeriesChart } from './LayerSeriesChart';
import { MaskViewer } from './MaskViewer';

type View = 'entropy' | 'flips' | 'gradients' | 'estimator' | 'masks';
const VIEWS: { id: View; label: string }[] = [
  { id: 'entropy', label: 'Entropy' },
  { id: 'flips', label: 'Flips' },
  { id: 'gradients', label: 'Gradients' },
  { id: 'estimator', label: 'Estimator' },
  { id: 'masks', label: 'Attention masks' },
];

/** The charts the papers argue with, for one chosen run, one view at a time. */
export function InsidePanel() {
  const runs = useThrottledRuns(CHART_REFRESH_MS);
  const [chosen, setChosen] = useState<string | null>(null);
  const [view, setView] = useState<View>('entropy');
  const withData = runs.filter((r) => r.steps.length > 0);
  if (withData.length === 0) return null;
  const run = withData.find((r) => r.id === chosen) ?? withData[withData.length - 1];
  return (
    <section className="inside" aria-label="Inside a run">
      <div className="runs-head">
        <h2>Inside a run</h2>
        <label>
          Run{' '}
          <select value={run.id} onChange={(e) => setChosen(e.target.value)} data-testid="inside-run">
            {withData.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="tabs" role="tablist" aria-label="What to look at">
        {VIEWS.filter((v) => v.id !== 'masks' || run.masks).map((v) => (
          <button
            key={v.id}
            type="button"
            role="tab"
            aria-selected={view === v.id}
            className={view === v.id ? 'tab active' : 'tab'}
            onClick={() => setView(v.id)}
            data-testid={`view-${v.id}`}
          >
            {v.label}
          </button>
        ))}
      </div>
      {run.config.precision === 'full' && view !== 'estimator' && <p className="muted">Full-precision run: no binary layers to inspect.</p>}
      <div className="charts" role="tabpanel">
        {view === 'estimator' && <EstimatorChart run={run} />}
        {view === 'entropy' && run.layerStats.length > 0 && (
          <>
            <LayerSeriesChart title="Weight entropy per binary layer (bits)" metric="weightEntropy" stats={run.layerStats} domain={[0, 1]} testId="chart-weight-entropy" />
            <LayerSeriesChart title="Activation entropy per binary layer (bits)" metric="activationEntropy" stats={run.layerStats} domain={[0, 1]} />
          </>
        )}
        {view === 'flips' && run.layerStats.length > 0 && (
          <LayerSeriesChart title="Flip ratio (share of weight signs changed)" metric="flipRatio" stats={run.layerStats} />
        )}
        {view === 'gradients' && run.layerStats.length > 0 && (
          <>
            <LayerSeriesChart title="Latent-gradient L2 norm per layer" metric="gradNorm" stats={run.layerStats} />
            <HistogramChart run={run} />
          </>
        )}
      </div>
      {view === 'masks' && run.masks && <MaskViewer step={run.masks.step} samples={run.masks.samples} />}
    </section>
  );
}

/** sign(x) and the estimator's backward derivative at the run's latest t, k. */
function EstimatorChart({ run }: { run: RunRecord }) {
  const last = run.steps[run.steps.length - 1];
  const c = estimatorCurve(run.config.activationEstimator, last.t, last.k);
  const data = c.x.map((x, i) => ({ x, forward: c.forward[i], backward: c.backward[i] }));
  return (
    <figure className="chart" data-testid="chart-estimator">
      <figcaption>
        Activation estimator {run.config.activationEstimator.toUpperCase()} at step {last.step}: t = {last.t.toPrecision(3)}, k = {last.k.toPrecision(3)}
      </figcaption>
      <ChartBox height={200}>
        {(w) => (
          <LineChart width={w} height={200} data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
            <XAxis dataKey="x" type="number" domain={[-3, 3]} />
            <YAxis width={48} />
            <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} labelFormatter={(x) => `x = ${Number(x).toFixed(2)}`} />
            <Legend />
            <Line dataKey="forward" name="sign(x)" stroke="#64748b" dot={false} isAnimationActive={false} />
            <Line dataKey="backward" name="backward d/dx" stroke="#dc2626" dot={false} isAnimationActive={false} />
          </LineChart>
        )}
      </ChartBox>
    </figure>
  );
}

function HistogramChart({ run }: { run: RunRecord }) {
  const latest = [...run.layerStats].reverse().find((s) => s.histogram);
  if (!latest?.histogram) return null;
  const h = latest.histogram;
  const data = h.counts.map((count, i) => ({ bin: ((h.edges[i] + h.edges[i + 1]) / 2).toExponential(1), count }));
  return (
    <figure className="chart">
      <figcaption>
        Gradient histogram of {h.layer} at step {latest.step}
      </figcaption>
      <ChartBox height={200}>
        {(w) => (
          <BarChart width={w} height={200} data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
            <XAxis dataKey="bin" interval={5} />
            <YAxis width={48} />
            <Tooltip />
            <Bar dataKey="count" fill="#2563eb" isAnimationActive={false} />
          </BarChart>
        )}
      </ChartBox>
    </figure>
  );
}
