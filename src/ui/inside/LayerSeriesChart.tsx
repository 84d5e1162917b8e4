import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartBox } from '../charts/ChartBox';
import type { LayerStats, LayerStatsEntry } from '../../bnn/train/layer-stats';
import { downsample } from '../charts/downsample';

type Metric = 'weightEntropy' | 'activationEntropy' | 'flipRatio' | 'gradNorm';

const MAX_POINTS = 200;

/** One line per binary layer over training steps; early layers blue, late layers red. */
export function LayerSeriesChart(props: { title: string; metric: Metric; stats: LayerStats[]; domain?: [number, number]; testId?: string }) {
  const layers = props.stats[0]?.layers.map((l) => l.name) ?? [];
  const rows = props.stats.map((s) => {
    const row: Record<string, number | null> = { step: s.step };
    for (const l of s.layers) row[l.name] = l[props.metric as keyof LayerStatsEntry] as number | null;
    return row;
  });
  const data = downsample(rows, MAX_POINTS, layers.map((name) => (r: Record<string, number | null>) => r[name]));
  return (
    <figure className="chart" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      <ChartBox height={200}>
        {(w) => (
          <LineChart width={w} height={200} data={data as Record<string, number | null>[]} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
            <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} />
            <YAxis domain={props.domain ?? ['auto', 'auto']} width={48} />
            <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} labelFormatter={(x) => `step ${x}`} />
            {layers.map((name, i) => (
              <Line key={name} dataKey={name} stroke={layerColor(i, layers.length)} dot={false} isAnimationActive={false} connectNulls />
            ))}
          </LineChart>
        )}
      </ChartBox>
    </figure>
  );
}

function layerColor(i: number, n: number): string {
  const t = n > 1 ? i / (n - 1) : 0;
  return `hsl(${Math.round(220 - 220 * t)}, 70%, 50%)`;
}
