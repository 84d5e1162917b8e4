import {
  CIFAR10_CHANNELS,
  CIFAR10_CLASS_NAMES,
  CIFAR10_DEFAULT_MAX_FILE_BYTES,
  CIFAR10_IMAGE_BYTES,
  CIFAR10_SIDE,
  cifar10FileRole,
  decodeCifar10Records,
  validateCifar10Batch,
} from './cifar10';
import { Cifar10FormatError } from './cifar10-error';
import { datasetFromArrays, type ImageDataset } from './dataset';
import { stratifiedSplit } from './split';

/** One uploaded file: its name decides its role (data_batch_N.bin train, test_batch.bin test). */
export interface Cifar10File {
  readonly name: string;
  readonly bytes: Uint8Array | ArrayBuffer;
}

export interface Cifar10DatasetOptions {
  /** Per-file size limit (default CIFAR10_DEFAULT_MAX_FILE_BYTES). */
  readonly maxFileBytes?: number;
}

/**
 * Without test_batch.bin, every 7th image of each class (in canonical order) is held
 * out for testing, the same stratified rule as MNIST.
 */
export const CIFAR10_FALLBACK_TEST_EVERY = 7;

/**
 * Builds the CIFAR-10 ImageDataset from uploaded batch files. Every file is validated
 * before any pixel is decoded, so a bad upload throws Cifar10FormatError and builds
 * nothing. Canonical order: data_batch_1..N by batch number, then test_batch.bin;
 * the train split is the data batches and the test split is test_batch.bin.
 */
export function loadCifar10FromFiles(files: readonly Cifar10File[], options: Cifar10DatasetOptions = {}): ImageDataset {
  const ordered = orderFiles(files);
  const counts = ordered.map((file) =>
    validateCifar10Batch(file.bytes, file.name, { maxBytes: options.maxFileBytes ?? CIFAR10_DEFAULT_MAX_FILE_BYTES }),
  );
  const total = counts.reduce((a, b) => a + b, 0);
  const images = new Uint8Array(total * CIFAR10_IMAGE_BYTES);
  const labels = new Uint8Array(total);
  let trainCount = 0;
  let next = 0;
  ordered.forEach((file, i) => {
    const bytes = file.bytes instanceof Uint8Array ? file.bytes : new Uint8Array(file.bytes);
    decodeCifar10Records(bytes, images, labels, next);
    next += counts[i];
    if (file.role === 'train') trainCount += counts[i];
  });
  const split =
    trainCount < total
      ? { trainIndices: range(0, trainCount), testIndices: range(trainCount, total) }
      : stratifiedSplit(labels, CIFAR10_CLASS_NAMES.length, CIFAR10_FALLBACK_TEST_EVERY);
  return datasetFromArrays({
    name: 'cifar10',
    images,
    labels,
    h: CIFAR10_SIDE,
    w: CIFAR10_SIDE,
    c: CIFAR10_CHANNELS,
    classNames: CIFAR10_CLASS_NAMES,
    ...split,
  });
}

interface OrderedFile extends Cifar10File {
  readonly role: 'train' | 'test';
  readonly batchNumber: number;
}

function orderFiles(files: readonly Cifar10File[]): OrderedFile[] {
  const seen = new Set<string>();
  const ordered: OrderedFile[] = [];
  for (const file of files) {
    const role = cifar10FileRole(file.name);
    if (role === undefined) {
      throw new Cifar10FormatError(
        'unknown_file',
        file.name,
        'not a CIFAR-10 binary batch name; expected data_batch_1.bin … data_batch_5.bin or test_batch.bin',
      );
    }
    if (seen.has(file.name)) throw new Cifar10FormatError('duplicate_file', file.name, 'uploaded more than once');
    seen.add(file.name);
    const batchNumber = role === 'train' ? Number(/\d+/.exec(file.name)?.[0]) : Number.POSITIVE_INFINITY;
    ordered.push({ ...file, role, batchNumber });
  }
  if (!ordered.some((file) => file.role === 'train')) {
    throw new Cifar10FormatError(
      'no_training_data',
      ordered.map((file) => file.name).join(', ') || '(no files)',
      'at least one training batch (data_batch_*.bin) is needed',
    );
  }
  return ordered.sort((a, b) => a.batchNumber - b.batchNumber);
}

function range(start: number, end: number): Int32Array {
  return Int32Array.from({ length: end - start }, (_, i) => start + i);
}
