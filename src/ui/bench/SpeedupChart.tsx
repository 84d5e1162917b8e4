import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatRatio, type SpeedupRow } from './benchRows';

/**
 * Bars of XNOR speed-up per case: over the float kernels and over tfjs wasm (× faster; the
 * line marks 1×, as fast). The table next to it carries the same numbers for screen readers.
 */
export function SpeedupChart({ rows, caption, testId }: { rows: readonly SpeedupRow[]; caption: string; testId: string }) {
  const data = rows.map((r) => ({ label: r.label, title: r.title, vsFloat: r.vsFloat, vsTfjsWasm: r.vsTfjsWasm }));
  const hasWasm = rows.some((r) => r.vsTfjsWasm !== null);
  const summary = rows.map((r) => `${r.title}: ${formatRatio(r.vsFloat)} vs float${r.vsTfjsWasm !== null ? `, ${formatRatio(r.vsTfjsWasm)} vs tfjs wasm` : ''}`).join('; ');
  return (
    <figure className="chart bench-chart" data-testid={testId} role="img" aria-label={`${caption}. ${summary}`}>
      <figcaption>{caption}</figcaption>
      <ResponsiveContainer width="100%" height={280}>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--grid)" />
          <XAxis dataKey="label" interval={0} angle={-25} textAnchor="end" height={70} tick={{ fontSize: 11 }} />
          <YAxis width={52} tickFormatter={(v: number) => `${+v.toPrecision(3)}×`} />
          <Tooltip
            formatter={(v) => (typeof v === 'number' ? formatRatio(v) : String(v))}
            labelFormatter={(_, payload) => String(payload?.[0]?.payload?.title ?? '')}
          />
          <Legend />
          <ReferenceLine y={1} stroke="var(--muted)" strokeDasharray="4 2" />
          <Bar dataKey="vsFloat" name="XNOR vs float" fill="var(--accent)" isAnimationActive={false} />
          {hasWasm && <Bar dataKey="vsTfjsWasm" name="XNOR vs tfjs wasm" fill="var(--bench-wasm, #d97706)" isAnimationActive={false} />}
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
