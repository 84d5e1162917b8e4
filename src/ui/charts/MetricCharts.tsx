import { useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartBox } from './ChartBox';
import type { RunRecord } from '../../state/runs';
import { useThrottledRuns } from '../useThrottledRuns';
import { downsampleXY } from './downsample';

const MAX_POINTS = 200;
/** Charts redraw at most this often while runs train. */
export const CHART_REFRESH_MS = 1000;
type Axis = 'step' | 'epoch';
type Point = { x: number; y: number | null };
type Group = 'metrics' | 'schedules';
const GROUPS: { id: Group; label: string }[] = [
  { id: 'metrics', label: 'Accuracy and loss' },
  { id: 'schedules', label: 'lr, t and k' },
];

/**
 * Comparison charts: one colour per run, for the runs marked to compare. Clicking a legend entry
 * hides or shows that run; hovering shows exact values; the x-axis is steps or epochs.
 */
export function MetricCharts() {
  const runs = useThrottledRuns(CHART_REFRESH_MS).filter((r) => r.compare && (r.steps.length > 0 || r.evals.length > 0));
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [axis, setAxis] = useState<Axis>('step');
  const [group, setGroup] = useState<Group>('metrics');
  if (runs.length === 0) return null;
  const visible = runs.filter((r) => !hidden.has(r.id));
  const toggle = (id: string): void =>
    setHidden((h) => {
      const next = new Set(h);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const spe = (r: RunRecord): number => {
    const last = r.steps[r.steps.length - 1];
    return last && last.epoch > 0 ? last.step / last.epoch : 1;
  };
  const x = (r: RunRecord, step: number): number => (axis === 'step' ? step : step / spe(r));
  const all: { group: Group; title: string; testId: string; series: (r: RunRecord) => Point[]; log?: boolean }[] = [
    { group: 'metrics', title: 'Test accuracy (%)', testId: 'chart-accuracy', series: (r) => r.evals.map((e) => ({ x: x(r, e.step), y: 100 * e.testAccuracy })) },
    { group: 'metrics', title: 'Train loss', testId: 'chart-loss', series: (r) => r.steps.map((s) => ({ x: x(r, s.step), y: s.loss })) },
    { group: 'schedules', title: 'Learning rate', testId: 'chart-lr', series: (r) => r.steps.map((s) => ({ x: x(r, s.step), y: s.lr })) },
    { group: 'schedules', title: 'Estimator t (log scale)', testId: 'chart-t', series: (r) => r.steps.map((s) => ({ x: x(r, s.step), y: s.t })), log: true },
    { group: 'schedules', title: 'Estimator k', testId: 'chart-k', series: (r) => r.steps.map((s) => ({ x: x(r, s.step), y: s.k })) },
  ];
  const charts = all.filter((c) => c.group === group);
  return (
    <section className="compare" aria-label="Comparison charts">
      <div className="runs-head">
        <h2>Compare</h2>
        <div className="tabs" role="tablist" aria-label="Which curves">
          {GROUPS.map((g) => (
            <button key={g.id} type="button" role="tab" aria-selected={group === g.id} className={group === g.id ? 'tab active' : 'tab'} onClick={() => setGroup(g.id)} data-testid={`compare-${g.id}`}>
              {g.label}
            </button>
          ))}
        </div>
        <label>
          x-axis{' '}
          <select value={axis} onChange={(e) => setAxis(e.target.value as Axis)} data-testid="x-axis">
            <option value="step">steps</option>
            <option value="epoch">epochs</option>
          </select>
        </label>
        <span className="muted">click a legend entry to hide or show a run</span>
      </div>
      <div className="charts">
        {charts.map((c) => (
          <figure className="chart" data-testid={c.testId} key={c.testId}>
            <figcaption>{c.title}</figcaption>
            <ChartBox height={220}>
              {(w) => (
                <LineChart width={w} height={220} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
                  <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
                  <XAxis dataKey="x" type="number" domain={['dataMin', 'dataMax']} allowDuplicatedCategory={false} tickFormatter={(v: number) => (axis === 'epoch' ? v.toFixed(1) : String(v))} />
                  <YAxis domain={['auto', 'auto']} width={56} scale={c.log ? 'log' : 'auto'} tickFormatter={(v: number) => (Math.abs(v) < 0.01 && v !== 0 ? v.toExponential(0) : String(+v.toPrecision(3)))} />
                  <Tooltip formatter={(v) => (typeof v === 'number' ? v.toPrecision(5) : String(v))} labelFormatter={(v) => `${axis} ${Number(v).toFixed(axis === 'epoch' ? 2 : 0)}`} />
                  <Legend onClick={(e) => toggle(runs.find((r) => r.name === e.value)?.id ?? '')} wrapperStyle={{ cursor: 'pointer' }} />
                  {runs.map((r) => (
                    <Line
                      key={r.id}
                      data={downsampleXY(c.series(r), MAX_POINTS) as Point[]}
                      dataKey="y"
                      name={r.name}
                      stroke={r.color}
                      hide={!visible.includes(r)}
                      dot={c.testId === 'chart-accuracy'}
                      isAnimationActive={false}
                    />
                  ))}
                </LineChart>
              )}
            </ChartBox>
          </figure>
        ))}
      </div>
    </section>
  );
}
