/// <reference lib="webworker" />
/**
 * Runs the training-step suite on one backend in a Worker — where the app trains — and reports
 * progress and the result to bench-train.html.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { detectWebgl, initBackend } from '../bnn/backend';
import { runStepBench } from '../bnn/train/step-bench';
import { loadDataset } from '../data/load-dataset';
import { wasmPaths } from '../worker/wasm-paths';
import { benchSampling } from './bench-train-settings';
import type { BenchRunRequest, BenchWorkerMessage } from './bench-train-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: BenchWorkerMessage) => scope.postMessage(m);

async function run(req: BenchRunRequest): Promise<void> {
  tf.env().set('PROD', true);
  const webgl = detectWebgl();
  await initBackend(req.backend, { wasmPaths });
  const environment: Record<string, unknown> = {
    userAgent: scope.navigator.userAgent,
    hardwareConcurrency: scope.navigator.hardwareConcurrency,
    crossOriginIsolated: scope.crossOriginIsolated,
    tfjs: tf.version.tfjs,
    backend: tf.getBackend(),
  };
  if (req.backend === 'webgl') {
    environment.webglRenderer = webgl.renderer;
    environment.webglSoftware = webgl.software;
    environment.webglVersion = tf.env().getNumber('WEBGL_VERSION');
  }
  if (req.backend === 'wasm') {
    environment.wasmSimd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    environment.wasmThreads = getThreadsCount();
  }
  post({ type: 'started', environment });
  const data = await loadDataset('mnist-small', import.meta.env.BASE_URL);
  const result = await runStepBench({
    data,
    depths: req.depths,
    ...benchSampling(req.backend, req.quick),
    ...req.override,
    onProgress: (event) => post({ type: 'progress', event }),
  });
  post({ type: 'done', result });
}

scope.onmessage = (e: MessageEvent<BenchRunRequest>) => {
  run(e.data).catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
};
