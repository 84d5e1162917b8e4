import { useRuns } from '../state/runs';

/** Page-wide notices: a shared link's problems (dismissable) and why the default backend is not WebGL. */
export function Notices() {
  const hashNotice = useRuns((s) => s.hashNotice);
  const backendNotice = useRuns((s) => s.backendNotice);
  const setHashNotice = useRuns((s) => s.setHashNotice);
  return (
    <>
      {hashNotice && (
        <div className="notice warn" role="alert" data-testid="hash-notice">
          <span>{hashNotice}</span>
          <button type="button" className="dismiss" onClick={() => setHashNotice(null)} aria-label="Dismiss the notice about the link" data-testid="hash-notice-dismiss">
            Dismiss
          </button>
        </div>
      )}
      {backendNotice && (
        <div className="notice" role="status" data-testid="backend-notice">
          {backendNotice}
        </div>
      )}
    </>
  );
}
