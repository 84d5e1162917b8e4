/**
 * Starting a tfjs backend loudly. tfjs falls back to another backend silently when one fails to
 * start, so every start is checked against the backend that is actually active. Detection (which
 * backend is real, which is the default) lives in backend-detect.ts, which needs no tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BACKEND_NAMES, detectIsolation, detectWebgl, detectWebgpu, type BackendName } from './backend-detect';

export * from './backend-detect';

export interface InitBackendOptions {
  /** Where the wasm binaries are served: a folder prefix or a map from file name to URL. */
  wasmPaths?: string | Record<string, string>;
  /**
   * Threads of the wasm backend (XNNPACK's pool), fixed when wasm first starts. Default: where the
   * threaded binary loads (a cross-origin isolated page), one per logical core up to
   * WASM_MAX_THREADS; tfjs's own default is half the cores, one on a 2-core machine. The
   * single-threaded binaries (Node, no isolation) always run one.
   */
  wasmThreads?: number;
}

/** The pthread Workers tfjs's threaded wasm binary starts up front; more would be created lazily and can hang. */
export const WASM_MAX_THREADS = 8;

/** The default thread count of the wasm backend here (see InitBackendOptions.wasmThreads). */
export function defaultWasmThreads(isolation = detectIsolation()): number {
  return isolation.isolated ? Math.min(isolation.cores, WASM_MAX_THREADS) : 1;
}

let wasmPathsSet = false;

/**
 * Start `name` and make it the active backend, or throw a clear error. On failure the
 * previously active backend (if it was running) is restored. Selecting WebGL or WebGPU
 * explicitly allows a software renderer or adapter: the user chose it knowing it may be slow.
 */
export async function initBackend(name: BackendName, opts: InitBackendOptions = {}): Promise<void> {
  if (!BACKEND_NAMES.includes(name)) throw new Error(`Unknown backend '${String(name)}'`);
  const engine = tf.engine();
  const previous = engine.backendName as string | undefined;
  if (name === 'webgpu' && !(name in engine.registryFactory)) await registerWebgpu();
  if (!(name in engine.registryFactory)) {
    const hint =
      name === 'webgl'
        ? ' (WebGL needs a browser page or Worker)'
        : name === 'webgpu'
          ? ' (WebGPU needs a browser with navigator.gpu, on https or localhost)'
          : '';
    throw new Error(`Could not start the ${name} backend: it is not registered in this environment${hint}`);
  }
  if (name === 'wasm' && opts.wasmPaths !== undefined && !wasmPathsSet && !('wasm' in engine.registry)) {
    setWasmPaths(opts.wasmPaths);
    wasmPathsSet = true;
  }
  let start = (): Promise<boolean> => tf.setBackend(name);
  if (name === 'wasm' && !('wasm' in engine.registry)) {
    const threads = opts.wasmThreads ?? defaultWasmThreads();
    if (!Number.isInteger(threads) || threads < 1 || threads > WASM_MAX_THREADS) {
      throw new Error(`Could not start the wasm backend: ${threads} threads asked, 1 to ${WASM_MAX_THREADS} possible`);
    }
    setThreadsCount(threads);
    if (threads > 1) start = () => withLogicalCores(2 * threads, () => tf.setBackend(name));
  }
  if (name === 'webgl') tf.env().set('SOFTWARE_WEBGL_ENABLED', true);

  let failure = 'setBackend returned false';
  let ok = false;
  try {
    ok = await start();
  } catch (err) {
    failure = err instanceof Error ? err.message : String(err);
  }
  const active = ok ? tf.getBackend() : undefined;
  if (ok && active === name) {
    await tf.ready();
    return;
  }
  if (ok) failure = `tfjs switched to '${String(active)}' instead`;
  if (name === 'webgl') {
    const detection = detectWebgl();
    if (!detection.available) failure += ` (${detection.reason ?? 'WebGL is not available'})`;
  }
  if (name === 'webgpu') {
    const detection = await detectWebgpu();
    if (!detection.available) failure += ` (${detection.reason ?? 'WebGPU is not available'})`;
  }
  if (previous && previous !== name && previous in engine.registry) await tf.setBackend(previous);
  throw new Error(`Could not start the ${name} backend: ${failure}`);
}

/**
 * The WebGPU backend is loaded on first use (it registers itself when navigator.gpu exists), so
 * Node and the pages that never choose it do not carry it. Selecting it explicitly allows a
 * software adapter, as for WebGL: the user chose it knowing it may be slow.
 */
async function registerWebgpu(): Promise<void> {
  if ((globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu === undefined) return;
  await import('@tensorflow/tfjs-backend-webgpu');
  const { patchWebgpuKernels } = await import('./webgpu-kernels');
  patchWebgpuKernels();
}

/**
 * tfjs 4.22's threaded wasm binary caps its thread pool at navigator.hardwareConcurrency / 2 (it
 * takes every core to have two hardware threads), read once while the module instantiates: a
 * 2-core machine would get one thread whatever setThreadsCount asks. While `start` runs, the
 * scope's navigator reports `cores` instead; the real value is back as soon as it settles.
 */
async function withLogicalCores<T>(cores: number, start: () => Promise<T>): Promise<T> {
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav === undefined) return start();
  const own = Object.getOwnPropertyDescriptor(nav, 'hardwareConcurrency');
  Object.defineProperty(nav, 'hardwareConcurrency', { value: cores, configurable: true });
  try {
    return await start();
  } finally {
    if (own) Object.defineProperty(nav, 'hardwareConcurrency', own);
    else delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

/**
 * Whether the active backend implements `kernelName` (e.g. 'Conv2DBackpropFilter', which
 * wasm lacks). The model uses it to decide whether it must supply its own gradient.
 */
export function hasKernel(kernelName: string): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) != null;
}

/**
 * Threads the wasm backend computes with (1 with the single-threaded binaries, which load where
 * SharedArrayBuffer is missing: Node, a page without cross-origin isolation); null before wasm starts.
 */
export function wasmThreadCount(): number | null {
  if (!('wasm' in tf.engine().registry)) return null;
  return getThreadsCount();
}
