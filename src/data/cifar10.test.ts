import { describe, expect, it } from 'vitest';
import {
  CIFAR10_CLASS_NAMES,
  CIFAR10_RECORD_BYTES,
  CIFAR10_RECORDS_PER_BATCH,
  cifar10FileRole,
  parseCifar10Batch,
} from './cifar10';
import { Cifar10FormatError } from './cifar10-error';

/** Test pattern: distinct-ish value for every (record, channel, row, column). */
const pixelValue = (record: number, channel: number, row: number, col: number): number =>
  (record * 11 + channel * 83 + row * 7 + col * 3) % 256;

/** One record in the official layout: label, then the R, G and B planes, each row-major 32×32. */
function planarRecord(record: number, label: number): number[] {
  const bytes = [label];
  for (let channel = 0; channel < 3; channel++) {
    for (let row = 0; row < 32; row++) {
      for (let col = 0; col < 32; col++) bytes.push(pixelValue(record, channel, row, col));
    }
  }
  return bytes;
}

function batch(labels: readonly number[]): Uint8Array {
  return Uint8Array.from(labels.flatMap((label, record) => planarRecord(record, label)));
}

function rejection(bytes: Uint8Array, name = 'data_batch_1.bin', maxBytes?: number): Cifar10FormatError {
  try {
    parseCifar10Batch(bytes, name, { maxBytes });
  } catch (error) {
    if (error instanceof Cifar10FormatError) return error;
    throw error;
  }
  throw new Error('expected a Cifar10FormatError');
}

describe('CIFAR-10 constants', () => {
  it('match the official format', () => {
    expect(CIFAR10_RECORD_BYTES).toBe(3073);
    expect(CIFAR10_RECORDS_PER_BATCH * CIFAR10_RECORD_BYTES).toBe(30_730_000);
    expect(CIFAR10_CLASS_NAMES).toEqual([
      'airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck',
    ]);
  });
});

describe('parseCifar10Batch', () => {
  const labels = [3, 0, 9];
  const bytes = batch(labels);

  it('reads labels and transposes planar pixels to interleaved NHWC', () => {
    const parsed = parseCifar10Batch(bytes, 'data_batch_1.bin');
    expect(parsed.count).toBe(3);
    expect(Array.from(parsed.labels)).toEqual(labels);
    expect(parsed.images.length).toBe(3 * 32 * 32 * 3);
    for (let record = 0; record < 3; record++) {
      for (let row = 0; row < 32; row++) {
        for (let col = 0; col < 32; col++) {
          for (let channel = 0; channel < 3; channel++) {
            const nhwc = ((record * 32 + row) * 32 + col) * 3 + channel;
            if (parsed.images[nhwc] !== pixelValue(record, channel, row, col)) {
              throw new Error(`pixel r${record} (${row},${col}) c${channel} is ${parsed.images[nhwc]}`);
            }
          }
        }
      }
    }
  });

  it('maps hand-picked planar bytes to their NHWC places', () => {
    const parsed = parseCifar10Batch(bytes, 'data_batch_1.bin');
    // record 0, pixel (row 0, col 1): R at file byte 1+1, G at 1+1024+1, B at 1+2048+1
    expect([parsed.images[3], parsed.images[4], parsed.images[5]]).toEqual([bytes[2], bytes[1026], bytes[2050]]);
    // record 0, pixel (row 1, col 0) is planar index 32 -> NHWC 96..98
    expect([parsed.images[96], parsed.images[97], parsed.images[98]]).toEqual([bytes[33], bytes[1057], bytes[2081]]);
    // record 1, last pixel (31,31) blue: file byte 3073 + 1 + 2048 + 1023, NHWC 3072 + 1023·3 + 2
    expect(parsed.images[3072 + 3071]).toBe(bytes[3073 + 3072]);
    expect(parsed.images[3072 + 3071]).toBe(pixelValue(1, 2, 31, 31));
  });

  it('accepts a full-size batch of 10,000 records', () => {
    const full = new Uint8Array(30_730_000);
    full[9_999 * 3073] = 7;
    full[9_999 * 3073 + 1 + 1024 + 5] = 42; // last record, green, pixel (0,5)
    const parsed = parseCifar10Batch(full, 'data_batch_5.bin');
    expect(parsed.count).toBe(10_000);
    expect(parsed.labels[9_999]).toBe(7);
    expect(parsed.images[9_999 * 3072 + 5 * 3 + 1]).toBe(42);
  });

  it('accepts an ArrayBuffer', () => {
    expect(Array.from(parseCifar10Batch(bytes.slice().buffer, 'test_batch.bin').labels)).toEqual(labels);
  });

  it('does not mistake a real batch whose pixels spell an archive signature', () => {
    const record = batch([4]);
    record.set([0x75, 0x73, 0x74, 0x61, 0x72], 257); // "ustar" where a tar header has it
    record.set([0x1f, 0x8b], 1);
    expect(Array.from(parseCifar10Batch(record, 'data_batch_2.bin').labels)).toEqual([4]);
  });

  it.each([
    ['an empty file', new Uint8Array(0), 'empty_file', 'data_batch_1.bin: file is empty'],
    [
      'one byte short of a record',
      new Uint8Array(3072),
      'record_size',
      'data_batch_1.bin: size 3072 bytes is not a multiple of the 3073-byte record (1 label + 3072 pixels): 0 whole records and 3072 bytes left over',
    ],
    [
      'a record plus one byte',
      new Uint8Array(3074 + 3073),
      'record_size',
      'size 6147 bytes is not a multiple of the 3073-byte record (1 label + 3072 pixels): 2 whole records and 1 bytes left over',
    ],
    [
      'CIFAR-100 sized records',
      new Uint8Array(3074 * 2),
      'record_size',
      "its size fits 3074-byte records, which is CIFAR-100 (not supported)",
    ],
    ['a label of 10', batch([1, 10, 2]), 'bad_label', 'record 1 (byte offset 3073) has label 10; CIFAR-10 labels are 0..9'],
    ['a label of 255', batch([1, 2, 255]), 'bad_label', 'record 2 (byte offset 6146) has label 255'],
    ['a gzip archive', Uint8Array.from([0x1f, 0x8b, 8, 0, ...new Array(3069).fill(0)]), 'wrong_format', 'this is a gzip archive'],
    [
      'the Python pickle version',
      Uint8Array.from([0x80, 0x02, 0x7d, ...new Array(100).fill(0)]),
      'wrong_format',
      'this is the Python (pickle) version of CIFAR-10',
    ],
    [
      'a tar archive',
      (() => {
        const tar = new Uint8Array(3073 * 2);
        tar.set(new TextEncoder().encode('cifar-10-batches-bin/'), 0);
        tar.set(new TextEncoder().encode('ustar'), 257);
        return tar;
      })(),
      'wrong_format',
      'this is a tar archive',
    ],
  ])('rejects %s', (_what, file, code, message) => {
    const error = rejection(file);
    expect(error.code).toBe(code);
    expect(error.fileName).toBe('data_batch_1.bin');
    expect(error.message).toContain(message);
  });

  it('rejects files over the size limit before reading them', () => {
    const error = rejection(batch([1, 2]), 'test_batch.bin', 3073);
    expect(error.code).toBe('file_too_large');
    expect(error.message).toBe('test_batch.bin: file is 6146 bytes, over the 3073-byte limit');
  });
});

describe('cifar10FileRole', () => {
  it.each([
    ['data_batch_1.bin', 'train'],
    ['data_batch_5.bin', 'train'],
    ['test_batch.bin', 'test'],
    ['batches.meta.txt', undefined],
    ['data_batch_1', undefined],
    ['test_batch.bin.gz', undefined],
  ] as const)('%s -> %s', (name, role) => {
    expect(cifar10FileRole(name)).toBe(role);
  });
});
