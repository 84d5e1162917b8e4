import { useMemo } from 'react';
import { useRuns } from '../../state/runs';
import { summaryFor } from '../../bnn/model/spec';
import { predictedFileSize } from './predicted-size';

const CLASSES = 10;

/** Larq-style model summary of the configuration in the controls. */
export function SummaryTable() {
  const draft = useRuns((s) => s.draft);
  const summary = useMemo(() => {
    try {
      return summaryFor(draft, CLASSES);
    } catch {
      return null;
    }
  }, [draft]);
  const size = useMemo(() => predictedFileSize(draft), [draft]);
  if (!summary) return null;
  const rows = summary.rows.filter((r) => r.binaryParams + r.floatParams + r.bops + r.flops > 0);
  return (
    <section className="summary panel" aria-label="Model summary">
      <h2>Model summary</h2>
      <p className="summary-totals" data-testid="summary-totals">
        {fmt(summary.binaryParams)} binary + {fmt(summary.floatParams)} float parameters ·{' '}
        weights {kib(summary.totalBits / 8)} vs {kib(summary.float32Bits / 8)} as float32 ({summary.compression.toFixed(1)}× smaller) ·{' '}
        {fmt(summary.bops)} BOPs + {fmt(summary.flops)} FLOPs per image (OPs = BOPs/64 + FLOPs = {fmt(Math.round(summary.ops))})
      </p>
      {size !== null && (
        <p className="muted" data-testid="summary-file-size">
          {draft.precision === 'full' ? (
            <>
              Exported .safetensors file ≈ {kib(size.bytes)}: header {kib(size.headerBytes)} (op list, config, dataset) + float32 weights{' '}
              {kib(size.dataBytes)}.
            </>
          ) : (
            <>
              Exported .safetensors file ≈ {kib(size.bytes)}: header {kib(size.headerBytes)} (op list, config, dataset) + packed bits and float
              parameters {kib(size.dataBytes)}. The full-precision export of this architecture is {kib(size.fullPrecision.bytes)} (header{' '}
              {kib(size.fullPrecision.headerBytes)} + float32 weights {kib(size.fullPrecision.dataBytes)}): {(size.fullPrecision.bytes / size.bytes).toFixed(1)}× the
              binary file.
            </>
          )}
        </p>
      )}
      <details>
        <summary>Per layer ({rows.length} layers with parameters or ops)</summary>
        <table data-testid="summary-table">
          <thead>
            <tr>
              <th>Layer</th>
              <th>Op</th>
              <th>Output</th>
              <th>Binary params</th>
              <th>Float params</th>
              <th>Bits</th>
              <th>BOPs</th>
              <th>FLOPs</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.name}>
                <td>{r.name}</td>
                <td>{r.op}</td>
                <td>{r.outputShape.join('×')}</td>
                <td>{fmt(r.binaryParams)}</td>
                <td>{fmt(r.floatParams)}</td>
                <td>{fmt(r.bits)}</td>
                <td>{fmt(r.bops)}</td>
                <td>{fmt(r.flops)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}
