import { useId, useState } from 'react';
import type { RunRecord } from '../../state/runs';
import { DATASETS } from '../../data/catalog';
import { useThrottledRuns } from '../useThrottledRuns';
import { Tabs, TabPanel } from '../Tabs';
import { downsampleXY } from './downsample';
import { LineFigure, type Point, type Series } from './LineFigure';
import { SeriesLegend, toggled } from './SeriesLegend';
import { distinctLabels, sharedParts } from './legend-labels';
import type { AxisBounds } from './axis';

const MAX_POINTS = 200;
/** Charts redraw at most this often while runs train. */
export const CHART_REFRESH_MS = 1000;
type XAxisKind = 'step' | 'epoch';
type Group = 'metrics' | 'schedules';
const GROUPS = [
  { id: 'metrics', label: 'Accuracy and loss' },
  { id: 'schedules', label: 'lr, t and k' },
] as const;

interface ChartSpec {
  group: Group;
  title: string;
  unit: string;
  testId: string;
  series: (r: RunRecord, x: (step: number) => number) => Point[];
  bounds?: AxisBounds;
  log?: boolean;
  dots?: boolean;
}

const CHARTS: readonly ChartSpec[] = [
  { group: 'metrics', title: 'Test accuracy', unit: '%', testId: 'chart-accuracy', bounds: { min: 0, max: 100 }, dots: true, series: (r, x) => r.evals.map((e) => ({ x: x(e.step), y: 100 * e.testAccuracy })) },
  { group: 'metrics', title: 'Train loss', unit: 'cross-entropy + terms, nats', testId: 'chart-loss', bounds: { min: 0 }, series: (r, x) => r.steps.map((s) => ({ x: x(s.step), y: s.loss })) },
  { group: 'schedules', title: 'Learning rate, full-precision parts', unit: 'per step', testId: 'chart-lr', bounds: { min: 0 }, series: (r, x) => r.steps.map((s) => ({ x: x(s.step), y: s.lr })) },
  { group: 'schedules', title: 'Learning rate, binary latent weights', unit: 'per step', testId: 'chart-latent-lr', bounds: { min: 0 }, series: (r, x) => r.steps.map((s) => ({ x: x(s.step), y: s.latentLr })) },
  { group: 'schedules', title: 'Estimator t', unit: 'log scale', testId: 'chart-t', log: true, series: (r, x) => r.steps.map((s) => ({ x: x(s.step), y: s.t })) },
  { group: 'schedules', title: 'Estimator k', unit: 'gradient scale', testId: 'chart-k', bounds: { min: 0 }, series: (r, x) => r.steps.map((s) => ({ x: x(s.step), y: s.k })) },
];

/**
 * Training steps per epoch of a run: from its own step metrics when it has them, else (an
 * imported run) from the dataset's train split and the batch size, as the trainer counts them.
 */
export function stepsPerEpoch(r: RunRecord): number {
  const last = r.steps.at(-1);
  if (last && last.epoch > 0) return last.step / last.epoch;
  const train = DATASETS[r.config.dataset].trainImages;
  return train ? Math.max(1, Math.floor(train / r.config.batchSize)) : 1;
}

/**
 * The comparison charts of every run marked to compare, one colour per run (examples dashed);
 * the legend hides or shows a run in all of them; x in steps or epochs.
 */
export function MetricCharts() {
  const runs = useThrottledRuns(CHART_REFRESH_MS).filter((r) => r.compare && (r.steps.length > 0 || r.evals.length > 0));
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [axis, setAxis] = useState<XAxisKind>('step');
  const [group, setGroup] = useState<Group>('metrics');
  const panelId = useId();
  const axisId = useId();
  const visible = runs.filter((r) => !hidden.has(r.id));
  const labels = distinctLabels(runs.map((r) => r.name));
  const xOf = (r: RunRecord): ((step: number) => number) => {
    const spe = stepsPerEpoch(r);
    return axis === 'step' ? (s) => s : (s) => s / spe;
  };
  return (
    <section className="compare panel" aria-labelledby={`${panelId}-h`}>
      <div className="section-head">
        <h2 id={`${panelId}-h`}>Compare</h2>
        <Tabs label="Which curves" tabs={GROUPS} value={group} onChange={setGroup} testIdPrefix="compare" panelId={panelId} />
        <label htmlFor={axisId} className="inline-label">
          x-axis
        </label>
        <select id={axisId} value={axis} onChange={(e) => setAxis(e.target.value as XAxisKind)} data-testid="x-axis">
          <option value="step">steps</option>
          <option value="epoch">epochs</option>
        </select>
      </div>
      {runs.length === 0 ? (
        <p className="empty" data-testid="compare-empty">
          No runs to compare yet: press Train, or show the examples below.
        </p>
      ) : (
        <SeriesLegend
          label="Runs on the charts (press to hide or show)"
          items={runs.map((r, i) => ({ id: r.id, label: `${r.example ? 'example ' : ''}${labels[i]}`, title: r.name, color: r.color, dashed: r.example !== undefined }))}
          shared={sharedParts(runs.map((r) => r.name))}
          hidden={hidden}
          onToggle={(id) => setHidden((h) => toggled(h, id))}
          testId="compare-legend"
        />
      )}
      <TabPanel id={panelId} label={GROUPS.find((g) => g.id === group)!.label} className="charts">
        {CHARTS.filter((c) => c.group === group).map((c) => (
          <LineFigure
            key={c.testId}
            testId={c.testId}
            title={c.title}
            unit={c.unit}
            xLabel={axis}
            xFormat={axis === 'epoch' ? (v) => v.toFixed(2) : (v) => String(Math.round(v))}
            yBounds={c.bounds}
            log={c.log}
            dots={c.dots}
            series={visible.map((r): Series => ({ id: r.id, label: r.name, color: r.color, dashed: r.example !== undefined, points: downsampleXY(c.series(r, xOf(r)), MAX_POINTS) }))}
          />
        ))}
      </TabPanel>
    </section>
  );
}
