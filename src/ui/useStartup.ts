import { useEffect } from 'react';
import { chooseDefaultBackend, detectWebgl, detectWebgpu } from '../bnn/backend-detect';
import { DEFAULT_CONFIG } from '../bnn/config';
import { decodeConfigHash, encodeConfigHash } from '../state/url-state';
import { backendAfterWebgpu, hashNamesBackend } from '../state/backend-default';
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
 * WebGL is probed at once; WebGPU's adapter arrives a moment later and may then become the
 * default (backend-default.ts), with the notice when it falls back.
 */
export function useStartup(): void {
  useEffect(() => {
    let live = true;
    const store = useRuns.getState();
    void store.hydrate();
    if (examplesWanted()) void store.showExamples(true);
    const webgl = detectWebgl();
    const first = chooseDefaultBackend(webgl);
    let base = { ...DEFAULT_CONFIG, backend: first.backend };
    const hash = hashAtOpening();
    const decoded = hash.length > 1 ? decodeConfigHash(hash, base) : { config: base, errors: [] };
    store.setBackendDefault(first.backend, null);
    store.setDraft(decoded.config);
    store.setHashNotice(decoded.errors.length ? `The link's configuration had problems; defaults were used for them: ${decoded.errors.join('; ')}` : null);
    const write = (): void => {
      const next = `#${encodeConfigHash(useRuns.getState().draft, { onlyChanged: true, base })}`;
      if (next !== globalThis.location.hash) globalThis.history.replaceState(null, '', next);
    };
    write();
    void detectWebgpu().then((webgpu) => {
      if (!live) return;
      const choice = chooseDefaultBackend(webgl, webgpu);
      const s = useRuns.getState();
      const backend = backendAfterWebgpu({ current: s.draft.backend, initial: first.backend, fromLink: hashNamesBackend(hash), choice });
      base = { ...base, backend: choice.backend };
      s.setBackendDefault(backend, choice.notice ?? null);
      write();
    });
    const unsubscribe = useRuns.subscribe((s, prev) => {
      if (s.draft !== prev.draft) write();
    });
    return () => {
      live = false;
      unsubscribe();
    };
  }, []);
}
