import { memo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useRuns, type RunRecord } from '../../state/runs';
import { downloadBytes } from '../files/download';
import { AblationTable } from '../ablation/AblationTable';
import { RunResults, focusControls } from './RunItem';

/**
 * The finished example runs (public/examples, `npm run examples`): read-only, on the charts at
 * once, hidden with one click; each can be duplicated to train again, exported, or picked as a
 * teacher. The grid group also shows its ablation table.
 */
export const ExampleGallery = memo(function ExampleGallery() {
  // Only the example records: the gallery does not redraw at every step of a training run.
  const runs = useRuns(useShallow((s) => s.runs.filter((r) => r.example)));
  const status = useRuns((s) => s.examples);
  const showExamples = useRuns((s) => s.showExamples);
  const setCompare = useRuns((s) => s.setCompare);
  const shown = status.status === 'shown' || status.status === 'loading';
  const groups = [...new Set(runs.map((r) => r.example!.group))].map((g) => runs.filter((r) => r.example!.group === g));
  const commit = runs[0]?.example?.commit;
  return (
    <section className="examples" aria-labelledby="examples-heading" data-testid="examples">
      <div className="section-head">
        <h3 id="examples-heading">Examples</h3>
        <button type="button" onClick={() => void showExamples(!shown)} data-testid="examples-toggle" aria-pressed={shown}>
          {shown ? 'Hide examples' : 'Show examples'}
        </button>
      </div>
      {status.status === 'loading' && (
        <p className="muted" role="status">
          <progress aria-label="loading the examples" /> loading the examples…
        </p>
      )}
      {status.error && (
        <p className="error" role="alert" data-testid="examples-error">
          {status.error}
        </p>
      )}
      {!shown && <p className="muted">Finished runs of each method, trained by the command line; shown on the charts without training anything.</p>}
      {runs.length > 0 && (
        <p className="muted small">
          Trained by <code>{runs[0].example!.command}</code> at commit <code title={commit}>{commit?.slice(0, 10)}</code> in Node (wasm), read-only
          {status.totalBytes ? `, ${(status.totalBytes / 1024).toFixed(0)} KiB in all` : ''}. Duplicate one to train it again here.
        </p>
      )}
      {groups.map((g) => (
        <div key={g[0].example!.group} className="example-group">
          <div className="section-head">
            <h4>{g[0].example!.groupLabel}</h4>
            <button type="button" className="link-button" onClick={() => setCompare(g.map((r) => r.id), !g.every((r) => r.compare))} data-testid="examples-compare-group">
              {g.every((r) => r.compare) ? 'take off the charts' : 'put on the charts'}
            </button>
          </div>
          <ul className="run-list compact" aria-label={g[0].example!.groupLabel}>
            {g.map((r) => (
              <ExampleItem key={r.id} run={r} />
            ))}
          </ul>
          {g.some((r) => r.group) && <AblationTable label={g[0].example!.groupLabel} runs={g} />}
        </div>
      ))}
    </section>
  );
});

const ExampleItem = memo(function ExampleItem({ run }: { run: RunRecord }) {
  const { toggleCompare, duplicate, exportRun, setDraft } = useRuns.getState();
  const fp = run.config.precision === 'full';
  return (
    <li className="run example" data-testid="example-run">
      <div className="run-head">
        <input type="checkbox" checked={run.compare} onChange={() => toggleCompare(run.id)} aria-label={`compare ${run.name}`} data-testid="compare" />
        <svg width="18" height="8" aria-hidden="true">
          <line x1="1" y1="4" x2="17" y2="4" stroke={run.color} strokeWidth="3" strokeDasharray="4 2" />
        </svg>
        <strong className="run-name">{run.name}</strong>
        <span className="badge example">example</span>
      </div>
      <RunResults run={run} />
      <div className="run-actions">
        <button
          type="button"
          onClick={() => {
            duplicate(run.id);
            focusControls();
          }}
          data-testid="duplicate"
        >
          Duplicate to train again
        </button>
        <button
          type="button"
          onClick={async () => {
            const bytes = await exportRun(run.id, false);
            if (bytes) downloadBytes(bytes, run.example!.modelFile);
          }}
          data-testid="export"
        >
          Download model
        </button>
        {fp && (
          <button
            type="button"
            onClick={() => {
              setDraft({ teacherRunId: run.id });
              useRuns.setState({ configNotice: `${run.name} is the distillation teacher; switch on RBD or logit distillation to learn from it.` });
              focusControls();
            }}
            data-testid="use-as-teacher"
          >
            Use as teacher
          </button>
        )}
      </div>
    </li>
  );
});
