import { useId, useState } from 'react';
import { getEstimator } from '../../bnn/quantizers/registry';
import type { RunRecord } from '../../state/runs';
import { useThrottledRuns } from '../useThrottledRuns';
import { CHART_REFRESH_MS } from '../charts/MetricCharts';
import { LineFigure } from '../charts/LineFigure';
import { Tabs, TabPanel } from '../Tabs';
import { EstimatorFigure } from './EstimatorFigure';
import { HistogramFigure } from './HistogramFigure';
import { LayerCharts } from './LayerCharts';
import { LAYER_METRICS, type InsideView } from './layer-views';
import { MaskViewer } from './MaskViewer';

const VIEWS: { id: InsideView; label: string }[] = [
  { id: 'entropy', label: 'Entropy' },
  { id: 'flips', label: 'Flips' },
  { id: 'weights', label: 'Latent weights' },
  { id: 'gradients', label: 'Gradients' },
  { id: 'bn', label: 'BN health' },
  { id: 'estimator', label: 'Estimator' },
  { id: 'masks', label: 'Attention masks' },
];

/** The charts the papers argue with, for one chosen run, one view at a time. */
export function InsidePanel() {
  // Per-layer statistics arrive every 10 steps: these charts follow at a slower pace than the comparison.
  const runs = useThrottledRuns(2 * CHART_REFRESH_MS).filter((r) => r.steps.length > 0);
  const [chosen, setChosen] = useState<string | null>(null);
  const [view, setView] = useState<InsideView>('entropy');
  const headId = useId();
  const pickId = useId();
  const panelId = useId();
  if (runs.length === 0) return null;
  // The chosen run; else the newest run trained here; else an example with binary layers to show (IR-Net's first).
  const binaryExamples = runs.filter((r) => r.example && r.config.precision === 'binary');
  const run = runs.find((r) => r.id === chosen) ?? [...runs].reverse().find((r) => !r.example) ?? binaryExamples.find((r) => r.name.startsWith('IR-Net')) ?? binaryExamples[0] ?? runs[0];
  const views = VIEWS.filter((v) => v.id !== 'masks' || run.masks || run.config.restriction);
  const current = views.some((v) => v.id === view) ? view : 'entropy';
  return (
    <section className="inside panel" aria-labelledby={headId}>
      <div className="section-head">
        <h2 id={headId}>Inside a run</h2>
        <label htmlFor={pickId} className="inline-label">
          Run
        </label>
        <select id={pickId} value={run.id} onChange={(e) => setChosen(e.target.value)} data-testid="inside-run" className="run-picker">
          {runs.map((r) => (
            <option key={r.id} value={r.id}>
              {r.example ? 'example: ' : ''}
              {r.name}
            </option>
          ))}
        </select>
      </div>
      <Tabs label="What to look at" tabs={views} value={current} onChange={setView} testIdPrefix="view" panelId={panelId} />
      <TabPanel id={panelId} label={views.find((v) => v.id === current)!.label}>
        <ViewContent run={run} view={current} />
      </TabPanel>
    </section>
  );
}

function ViewContent({ run, view }: { run: RunRecord; view: InsideView }) {
  if (view === 'estimator') return <EstimatorFigure run={run} />;
  if (view === 'masks') return <MasksView run={run} />;
  if (run.config.precision === 'full') return <p className="muted">Full-precision run: no binary layers to inspect.</p>;
  if (run.layerStats.length === 0) return <p className="muted">No layer statistics yet: they are measured every 10 steps and at each evaluation.</p>;
  const last = run.layerStats.at(-1)!;
  const latest = (pick: 'histogram' | 'latentHistogram') => [...run.layerStats].reverse().find((s) => s[pick]);
  return (
    <>
      {noteFor(run, view) && <p className="chart-note">{noteFor(run, view)}</p>}
      <LayerCharts key={`${run.id}:${view}`} stats={run.layerStats} groups={LAYER_METRICS[view]} />
      {view === 'weights' && <Histogram run={run} stats={latest('latentHistogram')} pick="latentHistogram" title="Latent weights" unit="raw w before any transform" testId="chart-latent-histogram" />}
      {view === 'gradients' && <Histogram run={run} stats={latest('histogram')} pick="histogram" title="Latent-weight gradients" unit="dL/dw" testId="chart-grad-histogram" />}
      {view === 'bn' && <MovingVsCalibrated run={run} />}
      {view === 'flips' && last && <p className="chart-note">At step {last.step}, {(100 * mean(last.layers.map((l) => l.flippedSinceInit))).toFixed(1)}% of the binary weights differ from their sign at initialisation (mean over layers).</p>}
    </>
  );
}

function noteFor(run: RunRecord, view: InsideView): string | undefined {
  const first = run.steps[0];
  const last = run.steps.at(-1);
  if (view === 'gradients' && first && last && (getEstimator(run.config.activationEstimator).schedule || getEstimator(run.config.weightEstimator).schedule)) {
    return `${getEstimator(run.config.activationEstimator).label}'s t rises from ${first.t.toPrecision(3)} to ${last.t.toPrecision(3)} over these steps: as the estimator sharpens towards sign, fewer inputs get a gradient.`;
  }
  if (view === 'bn') return 'Share of the probe images’ sign inputs whose sign differs when BN uses the batch statistics (training) or the statistics it holds (inference). High values mean the held statistics do not describe the data the signs see.';
  if (view === 'entropy') return 'A balanced layer has entropy 1 bit; the lowest channel and the spread show channels that collapse to one sign even when the layer mean looks healthy.';
  return undefined;
}

function Histogram(props: { run: RunRecord; stats: RunRecord['layerStats'][number] | undefined; pick: 'histogram' | 'latentHistogram'; title: string; unit: string; testId: string }) {
  const h = props.stats?.[props.pick];
  if (!props.stats || !h) return <p className="muted">No {props.title.toLowerCase()} histogram recorded{props.run.example ? ' for this example (the command line keeps none per step)' : ' yet'}.</p>;
  return <HistogramFigure title={props.title} unit={props.unit} histogram={h} step={props.stats.step} testId={props.testId} />;
}

/** The final evaluation with the BN statistics recalibrated and with the moving averages. */
function MovingVsCalibrated({ run }: { run: RunRecord }) {
  const e = [...run.evals].reverse().find((x) => typeof x.movingAccuracy === 'number');
  if (!e || typeof e.movingAccuracy !== 'number') return <p className="muted">The moving-average accuracy is measured at the end of a run with BN calibration.</p>;
  return (
    <p data-testid="bn-moving">
      Final test accuracy with recalibrated BN statistics {(100 * e.testAccuracy).toFixed(2)}%, with the moving averages {(100 * e.movingAccuracy).toFixed(2)}% (
      {(100 * (e.testAccuracy - e.movingAccuracy)).toFixed(2)} points apart).
    </p>
  );
}

function MasksView({ run }: { run: RunRecord }) {
  const keep = run.layerStats.filter((s) => typeof s.maskKeep === 'number');
  return (
    <>
      {keep.length > 0 && (
        <LineFigure
          testId="chart-mask-keep"
          title="Share of pixels the restriction mask keeps"
          unit="share of the probe images' pixels"
          xLabel="step"
          yBounds={{ min: 0, max: 1 }}
          series={[{ id: 'keep', label: run.name, color: run.color, points: keep.map((s) => ({ x: s.step, y: s.maskKeep ?? null })) }]}
          legend
        />
      )}
      {run.masks ? <MaskViewer step={run.masks.step} samples={run.masks.samples} labels={run.masks.labels} /> : <p className="muted">The masks appear at the run's first evaluation.</p>}
    </>
  );
}

function mean(v: readonly number[]): number {
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
}
