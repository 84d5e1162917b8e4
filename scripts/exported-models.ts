/**
 * The loop the model-checking scripts share: for each exported model named on the command line
 * (official MNIST or Fashion-MNIST only), its imported file, its dataset (loaded once per
 * dataset) and an inference model of its exact binary weights, disposed afterwards.
 */
import { readFileSync } from 'node:fs';
import type { FixedWeightsModel } from '../src/bnn/model/binary-weights';
import { loadDatasetNode, startNodeBackend } from '../src/cli/run';
import type { ImageDataset } from '../src/data/dataset';
import { createInferenceModel, importModel, type ImportedModel } from '../src/io/import';

export interface ExportedModel {
  file: string;
  imported: ImportedModel;
  data: ImageDataset;
  model: FixedWeightsModel;
}

export async function forEachExportedModel(script: string, visit: (m: ExportedModel) => Promise<void>): Promise<void> {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    process.stderr.write(`usage: npx tsx scripts/${script} MODEL.safetensors...\n`);
    process.exit(2);
  }
  await startNodeBackend('wasm');
  const datasets = new Map<string, ImageDataset>();
  for (const file of files) {
    const imported = importModel(readFileSync(file));
    const name = imported.config.dataset;
    if (name !== 'mnist' && name !== 'fashion-mnist') {
      process.stderr.write(`${file}: dataset ${name}; this check reads the official MNIST or Fashion-MNIST\n`);
      continue;
    }
    const data = datasets.get(name) ?? loadDatasetNode(name);
    datasets.set(name, data);
    const model = createInferenceModel(imported);
    try {
      await visit({ file, imported, data, model });
    } finally {
      model.dispose();
    }
  }
}
