import { useId, useMemo, useState } from 'react';
import type { BenchModel } from '../../worker/bench-protocol';
import { downloadBytes } from '../files/download';
import type { SuiteResult } from '../../bench/kernels/types';
import { formatKiB, formatMs, formatRatio, speedupRows, type SpeedupRow } from './benchRows';
import { SpeedupChart } from './SpeedupChart';
import { useDeviceBench } from './useDeviceBench';
import './bench.css';

export interface DeviceBenchPanelProps {
  /**
   * A trained model to measure (its config and latent parameter snapshot). Without one the
   * panel measures ResNet-20 (w = 16) on 32×32×3 with random weights: speed does not
   * depend on the values.
   */
  model?: BenchModel;
  /** The run the model comes from, named in the panel. */
  modelLabel?: string;
}

/**
 * "Measure on this device": runs the benchmark suite in a Worker — the XNOR GEMM at
 * 256×256×2304, each binary conv layer of the model and the whole model through the XNOR
 * engine — against the float kernels (same care, same engine) and tfjs, and shows the
 * speed-ups and the model's storage.
 */
export function DeviceBenchPanel({ model, modelLabel }: DeviceBenchPanelProps) {
  const { state, run, cancel } = useDeviceBench();
  const [quick, setQuick] = useState(true);
  const titleId = useId();
  const quickId = useId();
  const busy = state.status === 'starting' || state.status === 'running';
  const rows = useMemo(() => speedupRows(state.cases), [state.cases]);
  const layerRows = rows.filter((r) => r.kind !== 'model');
  const modelRows = rows.filter((r) => r.kind === 'model');
  const progress = state.progress;
  const storage = state.model?.storage;
  return (
    <section className="device-bench panel" aria-labelledby={titleId} data-testid="device-bench">
      <h2 id={titleId}>Measure on this device</h2>
      <p className="muted">
        Times the pure-JavaScript XNOR kernels against float kernels written with the same care and against tfjs, in a
        background worker: the 256×256×2304 GEMM, each binary conv layer (sign packing and zero padding included) and a
        whole model through the inference engine. Medians over interleaved rounds; speed-ups are paired round by round.
      </p>
      <p data-testid="bench-measures">
        Measures:{' '}
        <strong>
          {model
            ? `${modelLabel ?? 'the newest finished binary run'} (the newest finished binary run trained here)`
            : 'ResNet-20, w = 16, on 32×32×3 inputs with random weights (speed does not depend on the values); train a binary run to measure yours'}
        </strong>
      </p>
      <div className="bench-controls">
        <button type="button" className="primary" onClick={() => run(quick, model)} disabled={busy} data-testid="bench-run">
          {state.status === 'idle' ? 'Run benchmark' : 'Run again'}
        </button>
        {busy && (
          <button type="button" onClick={cancel} data-testid="bench-cancel">
            Cancel
          </button>
        )}
        {state.result && !busy && (
          <button type="button" onClick={() => downloadResult(state.result!)} data-testid="bench-download">
            Download results (JSON)
          </button>
        )}
        <input id={quickId} type="checkbox" checked={quick} onChange={(e) => setQuick(e.target.checked)} disabled={busy} data-testid="bench-quick" />
        <label htmlFor={quickId}>Quick (batch 1 only, fewer samples, tfjs wasm as the only tfjs peer)</label>
      </div>
      {state.status !== 'idle' && (
        <div className="progress-row">
          <progress
            max={progress?.total || 1}
            value={state.status === 'done' ? progress?.total || 1 : progress?.done ?? 0}
            aria-label="Benchmark progress"
            data-testid="bench-progress"
          />
          <span className="bench-progress-label" role="status" aria-live="polite" data-testid="bench-status">
            {statusText(state.status, progress)}
          </span>
        </div>
      )}
      {state.error && (
        <p className="error" role="alert" data-testid="bench-error">
          {state.error}
        </p>
      )}
      {storage && (
        <p data-testid="bench-storage" data-saving={storage.saving}>
          Storage of {state.model?.label}: {formatKiB(storage.packedBits)} ({storage.binaryParams.toLocaleString()} weights at
          1 bit + {storage.floatParams.toLocaleString()} float32 parameters) vs {formatKiB(storage.float32Bits)} all in float32 —{' '}
          <strong>{storage.saving.toFixed(1)}× smaller</strong>; {formatKiB(storage.foldedBits)} (
          {(storage.float32Bits / storage.foldedBits).toFixed(1)}×) with BatchNorm and scales folded as the engine runs them.
        </p>
      )}
      {modelRows.length > 0 && (
        <ul className="bench-model" data-testid="bench-model-speedups">
          {modelRows.map((r) => (
            <li key={r.id} data-testid={`bench-model-speedup-b${r.batch}`} data-speedup={r.vsFloat ?? ''}>
              Whole model, batch {r.batch}: XNOR engine {formatMs(r.xnorMs)} per batch —{' '}
              <strong>{formatRatio(r.vsFloat)} faster than the float engine</strong>
              {r.vsTfjsWasm !== null && <>, {formatRatio(r.vsTfjsWasm)} vs tfjs wasm</>}
              {r.vsTfjsCpu !== null && <>, {formatRatio(r.vsTfjsCpu)} vs tfjs cpu</>}
            </li>
          ))}
        </ul>
      )}
      {layerRows.length > 0 && <SpeedupChart rows={layerRows} caption="XNOR speed-up per layer (× faster)" testId="bench-chart" />}
      {rows.length > 0 && <ResultTable rows={rows} />}
      {state.result && (
        <p className="muted bench-env" data-testid="bench-env">
          {Object.entries(state.result.environment)
            .map(([k, v]) => `${k}: ${String(v)}`)
            .join(' · ')}{' '}
          · {(state.result.durationMs / 1000).toFixed(1)} s
        </p>
      )}
    </section>
  );
}

/** The suite result as `npm run bench -- --json` prints it, for comparing devices. */
function downloadResult(result: SuiteResult): void {
  const bytes = new TextEncoder().encode(`${JSON.stringify(result, null, 2)}\n`);
  downloadBytes(bytes, `bnn-bench-${result.startedAt.replace(/[:.]/g, '-')}.json`);
}

function statusText(status: string, progress: { done: number; total: number; label: string } | null): string {
  if (status === 'starting') return 'Starting the benchmark worker…';
  if (status === 'done') return 'Done.';
  if (status === 'cancelled') return 'Cancelled.';
  if (status === 'error') return 'Failed.';
  if (!progress) return 'Preparing…';
  return `${progress.done} / ${progress.total} · ${progress.label}`;
}

function ResultTable({ rows }: { rows: readonly SpeedupRow[] }) {
  return (
    <table className="bench-table" data-testid="bench-table">
      <caption>Measured cases</caption>
      <thead>
        <tr>
          <th scope="col">Case</th>
          <th scope="col">XNOR median</th>
          <th scope="col">vs float</th>
          <th scope="col">vs tfjs wasm</th>
          <th scope="col">vs tfjs cpu</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <th scope="row">{r.title}</th>
            <td>{formatMs(r.xnorMs)}</td>
            <td>{formatRatio(r.vsFloat)}</td>
            <td>{formatRatio(r.vsTfjsWasm)}</td>
            <td>{formatRatio(r.vsTfjsCpu)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
