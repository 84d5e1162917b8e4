import { useEffect } from 'react';
import { chooseDefaultBackend, detectWebgl } from '../bnn/backend';
import { DEFAULT_CONFIG } from '../bnn/config';
import { decodeConfigHash, encodeConfigHash } from '../state/url-state';
import { examplesWanted, useRuns } from '../state/runs';

/**
 * The URL hash as the page opened, read once per page load: start-up rewrites the hash to the
 * controls' state, so a second pass (React StrictMode runs effects twice in development) would
 * otherwise read the rewritten hash and lose a broken link's notice.
 */
let openingHash: string | null = null;
function hashAtOpening(): string {
  openingHash ??= globalThis.location.hash;
  return openingHash;
}

/**
 * Once per page: restore saved runs, show the example gallery (unless the user hid it), pick the
 * fastest trustworthy backend, then read the next run's configuration from the URL hash (a
 * shared link wins over the defaults) and keep the hash in step with the controls from then on.
 */
export function useStartup(): void {
  useEffect(() => {
    const store = useRuns.getState();
    void store.hydrate();
    if (examplesWanted()) void store.showExamples(true);
    const choice = chooseDefaultBackend(detectWebgl());
    const base = { ...DEFAULT_CONFIG, backend: choice.backend };
    const hash = hashAtOpening();
    const decoded = hash.length > 1 ? decodeConfigHash(hash, base) : { config: base, errors: [] };
    store.setBackendDefault(choice.backend, choice.notice ?? null);
    store.setDraft(decoded.config);
    store.setHashNotice(decoded.errors.length ? `The link's configuration had problems; defaults were used for them: ${decoded.errors.join('; ')}` : null);
    const write = (): void => {
      const next = `#${encodeConfigHash(useRuns.getState().draft, { onlyChanged: true, base })}`;
      if (next !== globalThis.location.hash) globalThis.history.replaceState(null, '', next);
    };
    write();
    return useRuns.subscribe((s, prev) => {
      if (s.draft !== prev.draft) write();
    });
  }, []);
}
