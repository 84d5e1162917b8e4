import { useMemo } from 'react';
import { detectIsolation } from '../bnn/backend-detect';
import { useRuns } from '../state/runs';

/** Page-wide notices: a shared link's problems (dismissable), why the default backend is not the fastest, and a page without cross-origin isolation (wasm on one thread). */
export function Notices() {
  const hashNotice = useRuns((s) => s.hashNotice);
  const backendNotice = useRuns((s) => s.backendNotice);
  const setHashNotice = useRuns((s) => s.setHashNotice);
  // Fixed for the page's lifetime: the headers it was served with decide it.
  const isolationNotice = useMemo(() => detectIsolation().notice, []);
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
      {isolationNotice && (
        <div className="notice" role="status" data-testid="isolation-notice">
          {isolationNotice}
        </div>
      )}
    </>
  );
}
