import { useId, useState } from 'react';
import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import type { GradHistogram } from '../../bnn/train/layer-stats';
import { ChartBox } from '../charts/ChartBox';
import { formatTick, niceStep } from '../charts/axis';
import { DataTable } from '../charts/DataTable';

/** A histogram of one layer's values (latent weights or their gradient) with its table alternative. */
export function HistogramFigure({ title, unit, histogram, step, testId }: { title: string; unit: string; histogram: GradHistogram; step: number; testId: string }) {
  const [table, setTable] = useState(false);
  const captionId = useId();
  const h = histogram;
  const width = h.edges[1] - h.edges[0];
  const labelStep = niceStep(h.edges.at(-1)! - h.edges[0], 6);
  const data = h.counts.map((count, i) => ({ mid: (h.edges[i] + h.edges[i + 1]) / 2, count }));
  const total = h.counts.reduce((a, b) => a + b, 0);
  return (
    <figure className="chart" data-testid={testId} aria-labelledby={captionId}>
      <figcaption>
        <span id={captionId}>
          {title} of {h.layer} at step {step} <span className="unit">({unit}; {total.toLocaleString('en-US')} values)</span>
        </span>
        <button type="button" className="table-toggle" aria-pressed={table} onClick={() => setTable(!table)} data-testid="table-toggle">
          {table ? 'Chart' : 'Table'}
        </button>
      </figcaption>
      {table ? (
        <DataTable
          caption={`${title} of ${h.layer}`}
          columns={['Bin', 'Count']}
          rows={h.counts.map((c, i) => [`${formatTick(h.edges[i], width / 10)} to ${formatTick(h.edges[i + 1], width / 10)}`, String(c)])}
        />
      ) : (
        <ChartBox height={200}>
          {(w) => (
            <BarChart width={w} height={200} data={data} margin={{ top: 8, right: 16, bottom: 4, left: 4 }} barCategoryGap={1}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
              <XAxis dataKey="mid" type="number" domain={[h.edges[0], h.edges.at(-1)!]} tickFormatter={(v: number) => formatTick(v, labelStep)} stroke="var(--muted)" fontSize={11} />
              <YAxis width={58} stroke="var(--muted)" fontSize={11} />
              <Tooltip formatter={(v) => String(v)} labelFormatter={(v) => `around ${formatTick(Number(v), width / 10)}`} contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)' }} />
              <Bar dataKey="count" name="count" fill="var(--accent)" isAnimationActive={false} />
            </BarChart>
          )}
        </ChartBox>
      )}
    </figure>
  );
}
