import { describe, expect, it } from 'vitest';
import { loadCifar10FromFiles } from './cifar10-dataset';
import { Cifar10FormatError } from './cifar10-error';

/** A batch whose every pixel byte of record r is `fill + r` and whose labels are given. */
function uniformBatch(labels: readonly number[], fill: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(labels.length * 3073);
  labels.forEach((label, record) => {
    bytes[record * 3073] = label;
    bytes.fill(fill + record, record * 3073 + 1, (record + 1) * 3073);
  });
  return bytes;
}

function rejection(action: () => unknown): Cifar10FormatError {
  try {
    action();
  } catch (error) {
    if (error instanceof Cifar10FormatError) return error;
    throw error;
  }
  throw new Error('expected a Cifar10FormatError');
}

describe('loadCifar10FromFiles', () => {
  it('orders data batches by number, then the test batch, and splits train/test by file', () => {
    const dataset = loadCifar10FromFiles([
      { name: 'test_batch.bin', bytes: uniformBatch([9, 8], 200) },
      { name: 'data_batch_2.bin', bytes: uniformBatch([2], 100) },
      { name: 'data_batch_1.bin', bytes: uniformBatch([1, 0, 5], 10).buffer },
    ]);
    expect(dataset.name).toBe('cifar10');
    expect([dataset.height, dataset.width, dataset.channels, dataset.numClasses]).toEqual([32, 32, 3, 10]);
    expect(dataset.classNames[0]).toBe('airplane');
    expect(dataset.size).toBe(6);
    expect(Array.from(dataset.trainIndices)).toEqual([0, 1, 2, 3]);
    expect(Array.from(dataset.testIndices)).toEqual([4, 5]);
    expect([0, 1, 2, 3, 4, 5].map((i) => dataset.label(i))).toEqual([1, 0, 5, 2, 9, 8]);
    expect([0, 1, 2, 3, 4, 5].map((i) => dataset.rawImage(i)[1234])).toEqual([10, 11, 12, 100, 200, 201]);
  });

  it('holds out every 7th image of each class when no test batch is given', () => {
    const labels = Array.from({ length: 20 }, (_, i) => i % 2);
    const dataset = loadCifar10FromFiles([{ name: 'data_batch_3.bin', bytes: uniformBatch(labels, 0) }]);
    // class 0 at indices 0,2,4,…: its 7th image is index 12; class 1's is index 13.
    expect(Array.from(dataset.testIndices)).toEqual([12, 13]);
    expect(dataset.trainIndices.length).toBe(18);
  });

  it.each([
    [
      'an unknown file name',
      [{ name: 'cat.png', bytes: new Uint8Array(3073) }],
      'unknown_file',
      'cat.png: not a CIFAR-10 binary batch name; expected data_batch_1.bin … data_batch_5.bin or test_batch.bin',
    ],
    [
      'the same batch twice',
      [
        { name: 'data_batch_1.bin', bytes: new Uint8Array(3073) },
        { name: 'data_batch_1.bin', bytes: new Uint8Array(3073) },
      ],
      'duplicate_file',
      'data_batch_1.bin: uploaded more than once',
    ],
    [
      'only a test batch',
      [{ name: 'test_batch.bin', bytes: new Uint8Array(3073) }],
      'no_training_data',
      'test_batch.bin: at least one training batch (data_batch_*.bin) is needed',
    ],
    [
      'one bad file among good ones',
      [
        { name: 'data_batch_1.bin', bytes: uniformBatch([1], 0) },
        { name: 'test_batch.bin', bytes: new Uint8Array(3000) },
      ],
      'record_size',
      'test_batch.bin: size 3000 bytes is not a multiple of the 3073-byte record',
    ],
  ])('rejects %s', (_what, files, code, message) => {
    const error = rejection(() => loadCifar10FromFiles(files));
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });

  it('applies the per-file size limit', () => {
    const error = rejection(() =>
      loadCifar10FromFiles([{ name: 'data_batch_1.bin', bytes: uniformBatch([1, 2], 0) }], { maxFileBytes: 4000 }),
    );
    expect(error.message).toBe('data_batch_1.bin: file is 6146 bytes, over the 4000-byte limit');
  });
});
