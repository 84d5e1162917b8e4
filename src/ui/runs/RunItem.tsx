import { memo } from 'react';
import { formatSeconds, progressOf, useRuns, type RunRecord } from '../../state/runs';
import { downloadBytes, fileNameFor } from '../files/download';
import { CONFIG_HEADING_ID } from '../config/DataModelPanel';

/** Moves focus to the controls once a run's settings are in them, so keyboard users land where they edit. */
export function focusControls(): void {
  document.getElementById(CONFIG_HEADING_ID)?.focus();
}

/** One trained (or training, queued, imported) run: status, progress and ETA, results, and what can be done with it; redrawn only when its record changes. */
export const RunItem = memo(function RunItem({ run }: { run: RunRecord }) {
  const { pause, resume, stop, deleteRun, resumeInterrupted, toggleCompare, duplicate, exportRun, continueTraining } = useRuns.getState();
  const canExport = (run.state === 'finished' || run.state === 'stopped') && (run.snapshot !== undefined || run.savedStep !== undefined || run.imported !== undefined);
  const { done, total, etaSeconds } = progressOf(run);
  const active = run.state === 'running' || run.state === 'paused' || run.state === 'loading';
  const badge = run.imported ? 'imported' : run.state;
  return (
    <li className="run" data-testid="run" data-state={run.state}>
      <div className="run-head">
        <input type="checkbox" checked={run.compare} onChange={() => toggleCompare(run.id)} aria-label={`compare ${run.name}`} title="Draw in the comparison charts" data-testid="compare" />
        <span className="swatch" style={{ background: run.color }} aria-hidden />
        <strong className="run-name">{run.name}</strong>
        <span className={`badge ${run.state}`} data-testid="run-state">
          {badge}
        </span>
        {run.backend && (
          <span className="muted" data-testid="run-backend">
            on {run.backend}
            {run.threads !== undefined ? `, ${run.threads} thread${run.threads === 1 ? '' : 's'}` : ''}
            {run.place === 'page' ? ' (page)' : ''}
          </span>
        )}
      </div>
      {run.imported ? (
        <p className="muted" data-testid="run-progress">
          trained elsewhere ({total} steps budget); measured here on its test split
        </p>
      ) : (
        <div className="progress-row">
          <progress value={done} max={total} aria-label={`${run.name} progress`} />
          <span className="muted" data-testid="run-progress">
            {done}/{total} steps{etaSeconds !== null && active ? ` · ETA ${formatSeconds(etaSeconds)}` : ''}
          </span>
        </div>
      )}
      <RunResults run={run} />
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
      {run.importWarning && (
        <p className="warn-text" role="alert" data-testid="import-warning">
          {run.importWarning}
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
        {canExport && run.config.precision === 'binary' && (!run.imported || run.imported.hasLatent) && (
          <button
            type="button"
            data-testid="export-latent"
            title="The same file with the binary convs' latent float weights too, so training can go on (in the app or in PyTorch: python/README.md)"
            onClick={async () => {
              const bytes = await exportRun(run.id, true);
              if (bytes) downloadBytes(bytes, fileNameFor(`${run.name}-latent`));
            }}
          >
            Export with latent weights
          </button>
        )}
        {run.imported?.hasLatent && (
          <button type="button" data-testid="continue" onClick={() => continueTraining(run.id)}>
            Continue training
          </button>
        )}
        <button
          type="button"
          onClick={() => {
            duplicate(run.id);
            focusControls();
          }}
          data-testid="duplicate"
          title="Copy this run's settings into the controls"
        >
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
});

/** Accuracy (best, and with the BN moving averages at the end), last loss, time, export size. */
export function RunResults({ run }: { run: RunRecord }) {
  const lastEval = run.evals.at(-1);
  const best = run.evals.reduce((m, e) => Math.max(m, e.testAccuracy), 0);
  const moving = lastEval && typeof lastEval.movingAccuracy === 'number' ? lastEval.movingAccuracy : null;
  return (
    <div className="run-stats">
      {lastEval && (
        <span data-testid="run-accuracy">
          test acc {(100 * lastEval.testAccuracy).toFixed(2)}% (best {(100 * best).toFixed(2)}%)
        </span>
      )}
      {moving !== null && (
        <span className="muted" data-testid="run-moving-accuracy" title="The same test images with the BN moving averages instead of the recalibrated statistics">
          BN moving averages {(100 * moving).toFixed(2)}%
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
  );
}
