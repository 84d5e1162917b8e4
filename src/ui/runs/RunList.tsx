import { progressOf, useRuns, type RunRecord } from '../../state/runs';
import { AblationControls } from '../ablation/AblationControls';
import { downloadBytes, fileNameFor } from '../files/download';

/** Every run with its status, progress bar, ETA and controls. */
export function RunList() {
  const runs = useRuns((s) => s.runs);
  const storageError = useRuns((s) => s.storageError);
  const usage = useRuns((s) => s.storageUsage);
  return (
    <div className="runs">
      <div className="runs-head">
        <h2>Runs</h2>
        {usage && (
          <span className="muted" data-testid="storage-usage">
            saved in this browser: {(usage.usage / 2 ** 20).toFixed(1)} MiB of {(usage.quota / 2 ** 20).toFixed(0)} MiB
          </span>
        )}
      </div>
      {storageError && (
        <p className="error" role="alert" data-testid="storage-error">
          {storageError}
        </p>
      )}
      <AblationControls />
      {runs.length === 0 ? (
        <p className="empty">No runs yet. Pick a configuration on the left and press Train.</p>
      ) : (
        <ul className="run-list" aria-label="Runs">
          {runs.map((r) => (
            <RunItem key={r.id} run={r} />
          ))}
        </ul>
      )}
    </div>
  );
}

function RunItem({ run }: { run: RunRecord }) {
  const { pause, resume, stop, deleteRun, resumeInterrupted, toggleCompare, duplicate, exportRun, continueTraining } = useRuns.getState();
  const canExport = (run.state === 'finished' || run.state === 'stopped') && (run.snapshot !== undefined || run.savedStep !== undefined || run.imported !== undefined);
  const { done, total, etaSeconds } = progressOf(run);
  const lastEval = run.evals.at(-1);
  const best = run.evals.reduce((m, e) => Math.max(m, e.testAccuracy), 0);
  const active = run.state === 'running' || run.state === 'paused' || run.state === 'loading';
  return (
    <li className="run" data-testid="run" data-state={run.state}>
      <div className="run-head">
        <input
          type="checkbox"
          checked={run.compare}
          onChange={() => toggleCompare(run.id)}
          aria-label={`compare ${run.name}`}
          title="Draw in the comparison charts"
          data-testid="compare"
        />
        <span className="swatch" style={{ background: run.color }} aria-hidden />
        <strong>{run.name}</strong>
        <span className={`badge ${run.state}`} data-testid="run-state">
          {run.state}
        </span>
        {run.backend && <span className="muted">on {run.backend}{run.place === 'page' ? ' (page)' : ''}</span>}
      </div>
      <div className="progress-row">
        <progress value={done} max={total} aria-label={`${run.name} progress`} />
        <span className="muted" data-testid="run-progress">
          {done}/{total} steps{etaSeconds !== null && active ? ` · ETA ${formatSeconds(etaSeconds)}` : ''}
        </span>
      </div>
      <div className="run-stats">
        {lastEval && (
          <span data-testid="run-accuracy">
            test acc {(100 * lastEval.testAccuracy).toFixed(2)}% (best {(100 * best).toFixed(2)}%)
          </span>
        )}
        {run.steps.length > 0 && <span>loss {run.steps[run.steps.length - 1].loss.toFixed(4)}</span>}
        {run.trainMs > 0 && <span className="muted">{formatSeconds(run.trainMs / 1000)} training</span>}
        {run.exportBytes !== undefined && (
          <span className="muted" data-testid="export-size">
            exported {(run.exportBytes / 1024).toFixed(1)} KiB
          </span>
        )}
      </div>
      {run.state === 'loading' && run.loadProgress !== undefined && (
        <div className="progress-row">
          <progress value={run.loadProgress} max={1} aria-label={`${run.name} dataset download`} data-testid="dataset-progress" />
        </div>
      )}
      {run.message && run.state !== 'running' && (
        <p className={run.state === 'failed' ? 'error' : 'muted'} data-testid="run-message">
          {run.message}
        </p>
      )}
      <div className="run-actions">
        {run.state === 'running' && (
          <button type="button" onClick={() => pause(run.id)} data-testid="pause">
            Pause
          </button>
        )}
        {run.state === 'paused' && (
          <button type="button" onClick={() => resume(run.id)} data-testid="resume">
            Resume
          </button>
        )}
        {(active || run.state === 'queued') && (
          <button type="button" onClick={() => stop(run.id)} data-testid="stop">
            Stop
          </button>
        )}
        {canExport && (
          <button
            type="button"
            data-testid="export"
            title="Download the trained binary weights as .safetensors (docs/EXPORT_FORMAT.md)"
            onClick={async () => {
              const bytes = await exportRun(run.id, false);
              if (bytes) downloadBytes(bytes, run.imported?.fileName ?? fileNameFor(run.name));
            }}
          >
            Export
          </button>
        )}
        {run.imported?.hasLatent && (
          <button type="button" data-testid="continue" onClick={() => continueTraining(run.id)}>
            Continue training
          </button>
        )}
        <button type="button" onClick={() => duplicate(run.id)} data-testid="duplicate" title="Copy this run's settings into the controls">
          Duplicate with changes
        </button>
        {run.state === 'interrupted' && (
          <button type="button" onClick={() => void resumeInterrupted(run.id)} data-testid="resume-interrupted">
            Resume from checkpoint
          </button>
        )}
        {!active && (
          <button
            type="button"
            className="danger"
            data-testid="delete"
            onClick={() => {
              if (globalThis.confirm(`Delete ${run.name} and its saved weights?`)) void deleteRun(run.id);
            }}
          >
            Delete
          </button>
        )}
      </div>
    </li>
  );
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - 60 * m)} s`;
}
