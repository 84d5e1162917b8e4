import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useRuns, type RunRecord } from '../../state/runs';

const MAX_POINTS = 400;

/** Live train-loss and test-accuracy curves, one colour per run. */
export function MetricCharts() {
  const runs = useRuns((s) => s.runs).filter((r) => r.steps.length > 0 || r.evals.length > 0);
  if (runs.length === 0) return null;
  return (
    <div className="charts">
      <Chart
        title="Train loss"
        testId="chart-loss"
        runs={runs}
        series={(r) => thin(r.steps).map((s) => ({ x: s.step, y: s.loss }))}
      />
      <Chart
        title="Test accuracy (%)"
        testId="chart-accuracy"
        runs={runs}
        series={(r) => r.evals.map((e) => ({ x: e.step, y: 100 * e.testAccuracy }))}
      />
    </div>
  );
}

function Chart(props: { title: string; testId: string; runs: RunRecord[]; series: (r: RunRecord) => { x: number; y: number }[] }) {
  return (
    <figure className="chart" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      <ResponsiveContainer width="100%" height={240}>
        <LineChart margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
          <XAxis dataKey="x" type="number" domain={['dataMin', 'dataMax']} allowDuplicatedCategory={false} label={{ value: 'step', position: 'insideBottomRight', offset: -4 }} />
          <YAxis domain={['auto', 'auto']} width={48} />
          <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} labelFormatter={(x) => `step ${x}`} />
          <Legend />
          {props.runs.map((r) => (
            <Line key={r.id} data={props.series(r)} dataKey="y" name={r.name} stroke={r.color} dot={false} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Every k-th point so long histories stay cheap to draw; always keeps the last one. */
function thin<T>(points: T[]): T[] {
  if (points.length <= MAX_POINTS) return points;
  const k = Math.ceil(points.length / MAX_POINTS);
  const out = points.filter((_, i) => i % k === 0);
  if (out[out.length - 1] !== points[points.length - 1]) out.push(points[points.length - 1]);
  return out;
}
