/// <reference lib="webworker" />
/**
 * Runs the cross-backend check (src/bnn/backend-check.ts) in a Worker, where the app trains, and
 * reports each case to backend-check.html.
 */
import * as tf from '@tensorflow/tfjs';
import { backendCheckCases, runBackendCheck } from '../bnn/backend-check';
import { detectWebgpu, initBackend, wasmThreadCount, type BackendName } from '../bnn/backend';
import { wasmPaths } from '../worker/wasm-paths';
import type { BackendCheckMessage, BackendCheckRequest } from './backend-check-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: BackendCheckMessage): void => scope.postMessage(m);
const start = (name: string): Promise<void> => initBackend(name as BackendName, { wasmPaths });

async function run(req: BackendCheckRequest): Promise<void> {
  tf.env().set('PROD', true);
  await start(req.target);
  const environment: Record<string, unknown> = {
    userAgent: scope.navigator.userAgent,
    tfjs: tf.version.tfjs,
    target: tf.getBackend(),
    reference: req.reference,
    crossOriginIsolated: scope.crossOriginIsolated,
  };
  if (req.target === 'webgpu') environment.webgpuAdapter = (await detectWebgpu()).adapter;
  if (req.target === 'wasm') environment.wasmThreads = wasmThreadCount();
  const cases = backendCheckCases().filter((c) => !req.only || c.name.includes(req.only));
  post({ type: 'started', environment, total: cases.length });
  const results = await runBackendCheck(req.target, req.reference, {
    cases,
    switchTo: start,
    onResult: (result, index, total) => post({ type: 'result', result, index, total }),
  });
  post({ type: 'done', results });
}

scope.onmessage = (e: MessageEvent<BackendCheckRequest>) => {
  run(e.data).catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
};
