import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../bnn/backend';
import { exportModel, datasetInfoOf } from '../io/export';
import { createInferenceModel, importModel } from '../io/import';
import { evaluate } from '../bnn/train/evaluate';
import { loadCifar10FromFiles } from '../data/cifar10-dataset';
import { loadDataset, setCifar10 } from '../data/load-dataset';
import type { FileReply, FileRequest } from './protocol';

/**
 * Model files and uploaded data, handled where tfjs lives: export computes the exact bits the
 * forward pass uses; import validates the whole file, then measures the model on its dataset.
 */
export async function handleFileRequest(msg: Exclude<FileRequest, { type: 'measure-step' }>, env: { baseUrl: string; wasmPaths?: Record<string, string> }): Promise<FileReply> {
  try {
    if (msg.type === 'cifar10') {
      const ds = loadCifar10FromFiles(msg.files);
      setCifar10(ds);
      return { type: 'cifar10-loaded', requestId: msg.requestId, train: ds.trainIndices.length, test: ds.testIndices.length };
    }
    await ensureBackend(env.wasmPaths);
    if (msg.type === 'export') {
      const data = await loadDataset(msg.config.dataset, env.baseUrl);
      const bytes = await exportModel({
        config: msg.config,
        params: msg.snapshot,
        dataset: datasetInfoOf(data),
        testAccuracy: msg.testAccuracy,
        includeLatent: msg.includeLatent,
      });
      return { type: 'exported', requestId: msg.requestId, bytes };
    }
    const imported = importModel(msg.bytes);
    const data = await loadDataset(imported.config.dataset, env.baseUrl);
    const model = createInferenceModel(imported);
    try {
      const e = await evaluate(model, data);
      return {
        type: 'imported',
        requestId: msg.requestId,
        config: imported.config,
        fileAccuracy: imported.testAccuracy,
        measuredAccuracy: e.accuracy,
        snapshot: imported.snapshot ?? imported.inferenceSnapshot,
        hasLatent: imported.snapshot !== null,
      };
    } finally {
      model.dispose();
    }
  } catch (e) {
    return { type: 'request-failed', requestId: msg.requestId, message: e instanceof Error ? e.message : String(e) };
  }
}

/** File work needs some backend; reuse the active one, else start wasm. */
async function ensureBackend(wasmPaths?: Record<string, string>): Promise<void> {
  const engine = tf.engine() as unknown as { backendName?: string };
  if (!engine.backendName) await initBackend('wasm', { wasmPaths });
}
