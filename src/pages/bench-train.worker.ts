/// <reference lib="webworker" />
/**
 * Runs the training-step suite on one backend in a Worker — where the app trains — and reports
 * progress and the result to bench-train.html. In lockstep it waits for the page before every
 * round, so that two Workers (wasm with all threads and with one) alternate their rounds.
 */
import * as tf from '@tensorflow/tfjs';
import { detectWebgl, detectWebgpu, initBackend, wasmThreadCount } from '../bnn/backend';
import { runStepBench } from '../bench/step-bench';
import { loadDataset } from '../data/load-dataset';
import { wasmPaths } from '../worker/wasm-paths';
import { benchSampling } from '../bench/bench-train-settings';
import type { BenchPageMessage, BenchRunRequest, BenchWorkerMessage } from '../bench/bench-train-protocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: BenchWorkerMessage) => scope.postMessage(m);
let go: (() => void) | null = null;

async function run(req: BenchRunRequest): Promise<void> {
  tf.env().set('PROD', true);
  const environment: Record<string, unknown> = {
    userAgent: scope.navigator.userAgent,
    hardwareConcurrency: scope.navigator.hardwareConcurrency,
    crossOriginIsolated: scope.crossOriginIsolated,
    tfjs: tf.version.tfjs,
  };
  if (req.backend === 'webgpu') {
    const webgpu = await detectWebgpu();
    if (!webgpu.available) {
      post({ type: 'absent', reason: webgpu.reason ?? 'no WebGPU adapter' });
      return;
    }
    environment.webgpuAdapter = webgpu.adapter;
    environment.webgpuSoftware = webgpu.software;
  }
  const webgl = req.backend === 'webgl' ? detectWebgl() : null;
  await initBackend(req.backend, { wasmPaths, wasmThreads: req.wasmThreads });
  environment.backend = tf.getBackend();
  if (webgl) {
    environment.webglRenderer = webgl.renderer;
    environment.webglSoftware = webgl.software;
    environment.webglVersion = tf.env().getNumber('WEBGL_VERSION');
  }
  if (req.backend === 'wasm') {
    environment.wasmSimd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
    environment.wasmThreads = wasmThreadCount();
  }
  post({ type: 'started', environment });
  const data = await loadDataset('mnist-small', import.meta.env.BASE_URL);
  const result = await runStepBench({
    data,
    depths: req.depths,
    ...benchSampling(req.backend, req.quick),
    ...req.override,
    onProgress: (event) => post({ type: 'progress', event }),
    beforeRound: req.lockstep
      ? (depth, round) =>
          new Promise<void>((resolve) => {
            go = resolve;
            post({ type: 'round', depth, round });
          })
      : undefined,
  });
  post({ type: 'done', result });
}

scope.onmessage = (e: MessageEvent<BenchPageMessage>) => {
  const m = e.data;
  if (m.type === 'go') {
    const release = go;
    go = null;
    release?.();
    return;
  }
  run(m).catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
};
