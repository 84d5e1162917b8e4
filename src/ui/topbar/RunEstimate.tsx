import { draftEstimate, formatSeconds, useRuns } from '../../state/runs';
import { activeRun } from '../../state/run-queue';

/**
 * The next run's duration before it starts: steps × the step time measured for its shape on
 * this device (by a run that trained here, or a 3-step measurement on demand), or a button
 * that measures it.
 */
export function RunEstimate() {
  // Selected apart and combined here: a selector that builds a new object would re-render forever.
  const draft = useRuns((s) => s.draft);
  const stepTimes = useRuns((s) => s.stepTimes);
  const estimate = draftEstimate({ draft, stepTimes });
  const steps = useRuns((s) => s.draft.steps);
  const measuring = useRuns((s) => s.measuring);
  const error = useRuns((s) => s.measureError);
  const busy = useRuns((s) => activeRun(s.runs) !== undefined);
  const measure = useRuns((s) => s.measureStepTime);
  return (
    <span className="estimate" data-testid="run-estimate">
      {estimate ? (
        <>
          Next run: {steps} steps ≈ {formatSeconds(estimate.seconds)} at {estimate.msPerStep.toFixed(0)} ms/step measured here
          <span className="muted" title="Evaluations add a little">
            {' '}
            ({estimate.from})
          </span>
        </>
      ) : (
        <>
          Next run: {Number.isFinite(steps) ? steps : '?'} steps, time not measured here yet{' '}
          <button type="button" className="link-button" onClick={() => void measure()} disabled={measuring || busy} data-testid="measure-step">
            {measuring ? 'measuring…' : 'Measure 3 steps'}
          </button>
        </>
      )}
      {error && (
        <span className="error" role="alert">
          {' '}
          Could not measure: {error}
        </span>
      )}
    </span>
  );
}
