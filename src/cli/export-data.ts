/**
 * `npm run export-data -- --dataset mnist|fashion-mnist|mnist-small|shapes --split test --out FILE.safetensors`
 *
 * Writes one split of a dataset, exactly the images and labels the app trains or evaluates on,
 * in their canonical order, as a safetensors file (layout in src/io/data-file.ts and
 * docs/DATASETS.md): what a reader outside the app checks an exported model against.
 * Exit codes: 0 written, 1 an unexpected error, 2 bad arguments.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DATASET_NAMES } from '../data/catalog';
import type { RunConfig } from '../bnn/config';
import { writeDataFile, type DataSplit } from '../io/data-file';
import { formatBytes } from '../bnn/train/ablation';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError, bool, runIfEntry, parseFlags, processIO, str, type CliIO, type FlagSpec } from './args';
import { loadDatasetNode } from './run';

const NODE_DATASETS = DATASET_NAMES.filter((d) => d !== 'cifar10');

export const EXPORT_DATA_USAGE = `Usage: npm run export-data -- --dataset NAME --split test|train --out FILE.safetensors

Writes one split of a dataset (uint8 NHWC images, labels, canonical indices) in the order the
app evaluates it, for checking exported models outside the app (docs/DATASETS.md).

Options:
  --dataset NAME             ${NODE_DATASETS.join(' | ')}
  --split NAME               test | train (default test)
  --out FILE                 output file (required; its folder is created)
  --help                     this text
`;

export const EXPORT_DATA_FLAGS: Readonly<Record<string, FlagSpec>> = {
  dataset: { type: 'string', choices: NODE_DATASETS },
  split: { type: 'string', choices: ['test', 'train'] },
  out: { type: 'string' },
  help: { type: 'boolean' },
};

export function main(argv: readonly string[], io: CliIO = processIO): number {
  let dataset: RunConfig['dataset'];
  let split: DataSplit;
  let out: string;
  try {
    const flags = parseFlags(argv, EXPORT_DATA_FLAGS);
    if (bool(flags, 'help')) {
      io.stdout(EXPORT_DATA_USAGE);
      return EXIT_OK;
    }
    const d = str(flags, 'dataset');
    const o = str(flags, 'out');
    if (d === undefined) throw new UsageError('--dataset NAME is required');
    if (o === undefined) throw new UsageError('--out FILE is required');
    dataset = d as RunConfig['dataset'];
    split = (str(flags, 'split') ?? 'test') as DataSplit;
    out = o;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`error: ${e.message}\n\n${EXPORT_DATA_USAGE}`);
      return EXIT_USAGE;
    }
    throw e;
  }
  try {
    const data = loadDatasetNode(dataset);
    const bytes = writeDataFile(data, split);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, bytes);
    const n = split === 'train' ? data.trainIndices.length : data.testIndices.length;
    io.stdout(`wrote ${n} ${dataset} ${split} images (${data.height}×${data.width}×${data.channels}) to ${out} (${formatBytes(bytes.length)})\n`);
    return EXIT_OK;
  } catch (e) {
    io.stderr(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_FAILURE;
  }
}

runIfEntry(import.meta.url, main);
