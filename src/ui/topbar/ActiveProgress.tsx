import { formatSeconds, progressOf, useRuns } from '../../state/runs';
import { activeRun } from '../../state/run-queue';
import { RunEstimate } from './RunEstimate';

/**
 * The active run's progress in the top bar: its name, steps done, ETA and a progress bar (the
 * dataset download's while it loads); when nothing trains, the next run's estimated duration.
 */
export function ActiveProgress() {
  const active = useRuns((s) => activeRun(s.runs));
  const queued = useRuns((s) => s.runs.filter((r) => r.state === 'queued').length);
  if (!active) {
    return (
      <div className="active-progress idle" data-testid="active-progress">
        <progress value={0} max={1} aria-label="No run is training" />
        <RunEstimate />
        {queued > 0 && <span className="muted"> · {queued} queued</span>}
      </div>
    );
  }
  const { done, total, etaSeconds } = progressOf(active);
  const loading = active.state === 'loading';
  return (
    <div className="active-progress" data-testid="active-progress" data-state={active.state}>
      {loading && active.loadProgress !== undefined ? (
        <progress value={active.loadProgress} max={1} aria-label={`${active.name}: dataset download`} />
      ) : (
        <progress value={done} max={total} aria-label={`${active.name}: training progress`} />
      )}
      <span className="active-text" data-testid="active-progress-text" title={active.name}>
        <span className="swatch" style={{ background: active.color }} aria-hidden /> <strong>{active.name.split(' · ')[0]}</strong> {active.state}
        {loading ? ` · ${active.message ?? ''}` : ` · ${done}/${total} steps`}
        {etaSeconds !== null && active.state === 'running' ? ` · ETA ${formatSeconds(etaSeconds)}` : ''}
        {queued > 0 ? ` · ${queued} queued` : ''}
      </span>
    </div>
  );
}
