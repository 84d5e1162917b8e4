import { describe, expect, it } from 'vitest';
import { detectIsolation } from './backend-detect';
import { defaultWasmThreads, initBackend, wasmThreadCount, WASM_MAX_THREADS } from './backend';

describe('detectIsolation', () => {
  it('an isolated page with 2 cores: no notice', () => {
    expect(detectIsolation({ crossOriginIsolated: true, navigator: { hardwareConcurrency: 2 } })).toEqual({ isolated: true, cores: 2 });
  });

  it('a page without the headers: a notice naming both headers and the threads it loses', () => {
    const d = detectIsolation({ crossOriginIsolated: false, navigator: { hardwareConcurrency: 4 } });
    expect(d.isolated).toBe(false);
    expect(d.notice).toMatch(/Cross-Origin-Opener-Policy: same-origin/);
    expect(d.notice).toMatch(/Cross-Origin-Embedder-Policy: require-corp/);
    expect(d.notice).toMatch(/one thread instead of 4$/);
  });

  it('one core, or no navigator (Node 20): one thread, nothing lost to mention', () => {
    expect(detectIsolation({ crossOriginIsolated: false, navigator: { hardwareConcurrency: 1 } }).notice).toMatch(/on one thread$/);
    expect(detectIsolation({})).toMatchObject({ isolated: false, cores: 1 });
  });
});

describe('wasm threads', () => {
  it('default: one per core when isolated, capped at the pthread pool; one otherwise', () => {
    expect(defaultWasmThreads({ isolated: true, cores: 2 })).toBe(2);
    expect(defaultWasmThreads({ isolated: true, cores: 32 })).toBe(WASM_MAX_THREADS);
    expect(defaultWasmThreads({ isolated: false, cores: 16 })).toBe(1);
  });

  it('Node runs the single-threaded binary: one thread', async () => {
    await initBackend('wasm');
    expect(wasmThreadCount()).toBe(1);
  });
});
