import { useRuns } from '../../state/runs';
import { RunItem } from './RunItem';
import { ExampleGallery } from './ExampleGallery';

/** The runs trained or imported here, then the example gallery. */
export function RunList() {
  const runs = useRuns((s) => s.runs).filter((r) => !r.example);
  const storageError = useRuns((s) => s.storageError);
  const usage = useRuns((s) => s.storageUsage);
  return (
    <section className="runs panel" aria-labelledby="runs-heading">
      <div className="section-head">
        <h2 id="runs-heading">Runs</h2>
        {usage && (
          <span className="muted small" data-testid="storage-usage">
            saved in this browser: {(usage.usage / 2 ** 20).toFixed(1)} MiB of {(usage.quota / 2 ** 20).toFixed(0)} MiB
          </span>
        )}
      </div>
      {storageError && (
        <p className="error" role="alert" data-testid="storage-error">
          {storageError}
        </p>
      )}
      {runs.length === 0 ? (
        <p className="empty">No runs yet. Pick a configuration on the left and press Train (or Step for one batch).</p>
      ) : (
        <ul className="run-list" aria-label="Runs">
          {runs.map((r) => (
            <RunItem key={r.id} run={r} />
          ))}
        </ul>
      )}
      <ExampleGallery />
    </section>
  );
}
