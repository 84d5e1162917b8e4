import type { BackendChoice, BackendName } from '../bnn/backend-detect';
import { URL_PROPERTIES } from './url-state';

/**
 * The page's default backend is settled in two steps: WebGL is probed at once (synchronous), and
 * WebGPU's adapter arrives a moment later (navigator.gpu.requestAdapter is asynchronous). The
 * controls show the first choice immediately; the second may replace it, but only where nobody
 * chose a backend yet: not when the link named one, not when the user already changed it.
 */
export function backendAfterWebgpu(args: {
  /** The draft's backend when the WebGPU detection arrives. */
  current: BackendName;
  /** The default set at start-up, before WebGPU was known. */
  initial: BackendName;
  /** The URL hash set the backend. */
  fromLink: boolean;
  /** The default with WebGPU known. */
  choice: BackendChoice;
}): BackendName {
  const { current, initial, fromLink, choice } = args;
  return !fromLink && current === initial ? choice.backend : current;
}

/** Whether a URL hash names the backend (valid value or not): then the link chose it. */
export function hashNamesBackend(hash: string): boolean {
  const name = URL_PROPERTIES.backend.hash;
  return hash
    .replace(/^#/, '')
    .split('&')
    .some((part) => {
      const raw = part.split('=')[0];
      try {
        return decodeURIComponent(raw) === name;
      } catch {
        return false;
      }
    });
}
