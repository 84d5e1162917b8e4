import { useId, useState, type ReactNode } from 'react';
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { ChartBox } from './ChartBox';
import { formatTick, logAxis, rangeAxis, valueAxis, type AxisBounds } from './axis';
import { DataTable, sampleRows } from './DataTable';

export interface Point {
  x: number;
  y: number | null;
}

export interface Series {
  id: string;
  label: string;
  color: string;
  dashed?: boolean;
  points: readonly Point[];
}

export interface LineFigureProps {
  title: string;
  /** The y unit, shown after the title ("%", "bits", "share of weights"). */
  unit: string;
  testId?: string;
  series: readonly Series[];
  xLabel: string;
  xFormat?: (x: number) => string;
  yBounds?: AxisBounds;
  log?: boolean;
  dots?: boolean;
  height?: number;
  /** A line under the caption: what the chart shows and how to read it. */
  note?: ReactNode;
  /** Its own legend of the series (for a chart whose section has none). */
  legend?: boolean;
}

/**
 * A line chart with its caption and unit, a y-range fitted to the data (axis.ts) and a
 * "Table" toggle that shows the same numbers as a table (the chart's text alternative). The
 * legend belongs to the section that owns several charts (SeriesLegend).
 */
export function LineFigure(p: LineFigureProps) {
  const [table, setTable] = useState(false);
  const captionId = useId();
  const height = p.height ?? 200;
  const ys = p.series.flatMap((s) => s.points.map((q) => q.y));
  const axis = p.log ? logAxis(ys) : valueAxis(ys, p.yBounds);
  const xs = rangeAxis(p.series.flatMap((s) => s.points.map((q) => q.x)));
  const xFormat = p.xFormat ?? ((x: number) => (xs ? formatTick(x, xs.step) : String(+x.toPrecision(4))));
  return (
    <figure className="chart" data-testid={p.testId} aria-labelledby={captionId}>
      <figcaption>
        <span id={captionId}>
          {p.title} <span className="unit">({p.unit})</span>
        </span>
        <button type="button" className="table-toggle" aria-pressed={table} onClick={() => setTable(!table)} data-testid="table-toggle">
          {table ? 'Chart' : 'Table'}
        </button>
      </figcaption>
      {p.note && <p className="chart-note">{p.note}</p>}
      {p.legend && (
        <ul className="legend static" aria-label={`${p.title}: legend`}>
          {p.series.map((s) => (
            <li key={s.id}>
              <svg width="18" height="8" aria-hidden="true" className="legend-line">
                <line x1="1" y1="4" x2="17" y2="4" stroke={s.color} strokeWidth="2.5" strokeDasharray={s.dashed ? '4 2' : undefined} />
              </svg>
              {s.label}
            </li>
          ))}
        </ul>
      )}
      {table ? (
        <DataTable
          caption={`${p.title} (${p.unit})`}
          columns={['Series', p.xLabel, `${p.title} (${p.unit})`]}
          rows={p.series.flatMap((s) => sampleRows(s.points).map((q) => [s.label, xFormat(q.x), q.y === null ? '–' : String(+q.y.toPrecision(5))]))}
        />
      ) : (
        <ChartBox height={height}>
          {(w) => (
            <LineChart width={w} height={height} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
              <XAxis
                dataKey="x"
                type="number"
                domain={xs ? xs.domain : ['dataMin', 'dataMax']}
                ticks={xs?.ticks}
                allowDuplicatedCategory={false}
                tickFormatter={(v: number) => (xs ? formatTick(v, xs.step) : xFormat(v))}
                stroke="var(--muted)"
                fontSize={11}
              />
              <YAxis
                width={58}
                scale={p.log ? 'log' : 'auto'}
                domain={axis ? axis.domain : ['auto', 'auto']}
                ticks={axis?.ticks}
                allowDataOverflow
                tickFormatter={(v: number) => (axis ? formatTick(v, axis.step) : String(v))}
                stroke="var(--muted)"
                fontSize={11}
              />
              <Tooltip
                formatter={(v) => (typeof v === 'number' ? v.toPrecision(5) : String(v))}
                labelFormatter={(v) => `${p.xLabel} ${xFormat(Number(v))}`}
                contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)' }}
              />
              {p.series.map((s) => (
                <Line
                  key={s.id}
                  data={s.points as Point[]}
                  dataKey="y"
                  name={s.label}
                  stroke={s.color}
                  strokeDasharray={s.dashed ? '5 3' : undefined}
                  dot={p.dots ? { r: 2 } : false}
                  isAnimationActive={false}
                  connectNulls
                />
              ))}
            </LineChart>
          )}
        </ChartBox>
      )}
    </figure>
  );
}
