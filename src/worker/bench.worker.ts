/// <reference lib="webworker" />
/**
 * The device benchmark worker: runs the kernel suite (GEMM 256×256×2304, each binary conv
 * layer of the model, the whole model through the XNOR engine, the float engine and tfjs)
 * off the main thread and reports progress after every block of samples.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, wasmThreadCount } from '../bnn/backend';
import { deviceCases, modelLabel, modelStorage, resnet20Architecture } from '../bench/kernels/model-cases';
import { runSuite } from '../bench/kernels/run-suite';
import type { EngineSource } from '../engine/engine';
import { randomEngineSource } from '../engine/random-source';
import { engineSourceFromSnapshot } from '../engine/sources';
import type { FromBench, ToBench } from './bench-protocol';
import { wasmPaths } from './wasm-paths';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: FromBench): void => scope.postMessage(m);
let running: { id: string; abort: AbortController } | null = null;

/** Starts cpu and wasm; returns the ones that work (wasm may be missing, cpu never is). */
async function startBackends(): Promise<string[]> {
  tf.env().set('PROD', true);
  const ok: string[] = [];
  for (const name of ['wasm', 'cpu'] as const) {
    try {
      await initBackend(name, { wasmPaths });
      ok.push(name);
    } catch {
      // reported through the backends list of 'started'
    }
  }
  return ok;
}

async function run(msg: Extract<ToBench, { type: 'run' }>): Promise<void> {
  const abort = new AbortController();
  running = { id: msg.id, abort };
  try {
    const backends = await startBackends();
    let source: EngineSource;
    if (msg.model) {
      await initBackend('cpu');
      source = await engineSourceFromSnapshot(msg.model.config, msg.model.snapshot);
    } else {
      source = randomEngineSource(resnet20Architecture());
    }
    const binaryScale = source.binary.some((b) => b.scale !== null);
    post({
      type: 'started',
      id: msg.id,
      backends,
      model: { label: modelLabel(source.arch), randomWeights: !msg.model, storage: modelStorage(source.arch, binaryScale) },
    });
    // tfjs cpu is 50–100× slower than everything else; only the full suite waits for it.
    const tfBackends = backends.filter((b) => b === 'wasm' || !msg.quick);
    const cases = deviceCases({ quick: msg.quick, tf, tfBackends }, source);
    const result = await runSuite(cases, {
      suite: 'device',
      quick: msg.quick,
      signal: abort.signal,
      environment: {
        runtime: 'browser worker',
        userAgent: navigator.userAgent,
        cores: navigator.hardwareConcurrency ?? 0,
        tfjs: tf.version.tfjs,
        wasmSimd: backends.includes('wasm') ? tf.env().getBool('WASM_HAS_SIMD_SUPPORT') : false,
        crossOriginIsolated: scope.crossOriginIsolated,
        wasmThreads: wasmThreadCount() ?? 0,
      },
      onProgress: (p) => post({ type: 'progress', id: msg.id, ...p }),
      onCase: (result) => post({ type: 'case', id: msg.id, result }),
    });
    post({ type: 'done', id: msg.id, result });
  } catch (error) {
    if (abort.signal.aborted) post({ type: 'cancelled', id: msg.id });
    else post({ type: 'error', id: msg.id, message: error instanceof Error ? error.message : String(error) });
  } finally {
    if (running?.id === msg.id) running = null;
  }
}

scope.onmessage = (e: MessageEvent<ToBench>) => {
  const msg = e.data;
  if (msg.type === 'cancel') {
    if (running?.id === msg.id) running.abort.abort();
    return;
  }
  if (running) {
    post({ type: 'error', id: msg.id, message: 'a benchmark is already running' });
    return;
  }
  void run(msg);
};
