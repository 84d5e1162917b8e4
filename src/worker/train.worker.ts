/// <reference lib="webworker" />
import { TrainingSession } from './session';
import { wasmPaths } from './wasm-paths';
import type { ToTrainer } from './protocol';

/** The training worker: a TrainingSession behind postMessage. */
const scope = self as unknown as DedicatedWorkerGlobalScope;
const session = new TrainingSession((m) => scope.postMessage(m), { baseUrl: import.meta.env.BASE_URL, wasmPaths });
scope.onmessage = (e: MessageEvent<ToTrainer>) => {
  void session.handle(e.data);
};
