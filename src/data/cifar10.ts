import { Cifar10FormatError } from './cifar10-error';

/**
 * The official CIFAR-10 binary batches (data_batch_1..5.bin, test_batch.bin): a flat
 * sequence of records, each 1 label byte (0..9) and 3072 pixel bytes stored
 * channel-planar — 1024 red, then 1024 green, then 1024 blue, each plane a row-major
 * 32×32 image. A full batch is 10,000 records = 30,730,000 bytes. The app works in
 * interleaved NHWC, so decoding transposes each record to 32×32×3.
 */

export const CIFAR10_CLASS_NAMES: readonly string[] = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];
export const CIFAR10_SIDE = 32;
export const CIFAR10_CHANNELS = 3;
export const CIFAR10_PIXELS_PER_PLANE = CIFAR10_SIDE * CIFAR10_SIDE;
export const CIFAR10_IMAGE_BYTES = CIFAR10_PIXELS_PER_PLANE * CIFAR10_CHANNELS;
export const CIFAR10_RECORD_BYTES = 1 + CIFAR10_IMAGE_BYTES;
export const CIFAR10_RECORDS_PER_BATCH = 10_000;
/** Default per-file limit: all 60,000 CIFAR-10 images in one file. */
export const CIFAR10_DEFAULT_MAX_FILE_BYTES = 6 * CIFAR10_RECORDS_PER_BATCH * CIFAR10_RECORD_BYTES;

export interface Cifar10ParseOptions {
  /** Refuse files larger than this many bytes (default CIFAR10_DEFAULT_MAX_FILE_BYTES). */
  readonly maxBytes?: number;
}

/** Decoded records: `images` is uint8 NHWC (count × 32 × 32 × 3), `labels` one byte each. */
export interface Cifar10Batch {
  readonly count: number;
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
}

/** 'train' for data_batch_N.bin, 'test' for test_batch.bin, undefined for anything else. */
export function cifar10FileRole(fileName: string): 'train' | 'test' | undefined {
  if (/^data_batch_\d+\.bin$/.test(fileName)) return 'train';
  if (fileName === 'test_batch.bin') return 'test';
  return undefined;
}

/**
 * Checks a whole file before anything is decoded and returns its record count: size
 * limit, recognisable wrong uploads (archives, the Python pickle version, CIFAR-100),
 * a positive multiple of the 3073-byte record, and every label in 0..9.
 */
export function validateCifar10Batch(
  input: Uint8Array | ArrayBuffer,
  fileName: string,
  options: Cifar10ParseOptions = {},
): number {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const maxBytes = options.maxBytes ?? CIFAR10_DEFAULT_MAX_FILE_BYTES;
  if (bytes.length > maxBytes) {
    throw new Cifar10FormatError('file_too_large', fileName, `file is ${bytes.length} bytes, over the ${maxBytes}-byte limit`);
  }
  if (bytes.length === 0) throw new Cifar10FormatError('empty_file', fileName, 'file is empty');
  const wrongFormat = recognizeWrongFormat(bytes);
  if (wrongFormat !== undefined) throw new Cifar10FormatError('wrong_format', fileName, wrongFormat);
  if (bytes.length % CIFAR10_RECORD_BYTES !== 0) {
    const whole = Math.floor(bytes.length / CIFAR10_RECORD_BYTES);
    const extra = bytes.length % CIFAR10_RECORD_BYTES;
    const cifar100Hint =
      bytes.length % (CIFAR10_RECORD_BYTES + 1) === 0
        ? '; its size fits 3074-byte records, which is CIFAR-100 (not supported)'
        : '';
    throw new Cifar10FormatError(
      'record_size',
      fileName,
      `size ${bytes.length} bytes is not a multiple of the ${CIFAR10_RECORD_BYTES}-byte record ` +
        `(1 label + ${CIFAR10_IMAGE_BYTES} pixels): ${whole} whole records and ${extra} bytes left over${cifar100Hint}`,
    );
  }
  const count = bytes.length / CIFAR10_RECORD_BYTES;
  for (let record = 0; record < count; record++) {
    const label = bytes[record * CIFAR10_RECORD_BYTES];
    if (label >= CIFAR10_CLASS_NAMES.length) {
      throw new Cifar10FormatError(
        'bad_label',
        fileName,
        `record ${record} (byte offset ${record * CIFAR10_RECORD_BYTES}) has label ${label}; CIFAR-10 labels are 0..9`,
      );
    }
  }
  return count;
}

/**
 * Hints for uploads that are CIFAR-10 in another packaging; undefined when none applies.
 * Only consulted when the first byte is no valid label, so a real batch is never refused.
 */
function recognizeWrongFormat(bytes: Uint8Array): string | undefined {
  if (bytes[0] < CIFAR10_CLASS_NAMES.length) return undefined;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    return 'this is a gzip archive; extract cifar-10-binary.tar.gz and upload the .bin files inside it';
  }
  if (bytes.length > 262 && String.fromCharCode(...bytes.subarray(257, 262)) === 'ustar') {
    return 'this is a tar archive; extract it and upload the .bin files inside it';
  }
  if (bytes[0] === 0x80 && bytes[1] >= 2 && bytes[1] <= 5) {
    return 'this is the Python (pickle) version of CIFAR-10; upload the binary version (data_batch_*.bin, test_batch.bin)';
  }
  return undefined;
}

/**
 * Decodes already-validated records into NHWC `images` and `labels`, starting at
 * image `firstImage` of the output arrays (so several files can fill one buffer).
 */
export function decodeCifar10Records(
  bytes: Uint8Array,
  images: Uint8Array,
  labels: Uint8Array,
  firstImage: number,
): void {
  const count = bytes.length / CIFAR10_RECORD_BYTES;
  const plane = CIFAR10_PIXELS_PER_PLANE;
  for (let record = 0; record < count; record++) {
    const source = record * CIFAR10_RECORD_BYTES;
    const image = firstImage + record;
    labels[image] = bytes[source];
    const red = source + 1;
    const target = image * CIFAR10_IMAGE_BYTES;
    for (let pixel = 0; pixel < plane; pixel++) {
      const out = target + pixel * 3;
      images[out] = bytes[red + pixel];
      images[out + 1] = bytes[red + plane + pixel];
      images[out + 2] = bytes[red + 2 * plane + pixel];
    }
  }
}

/** Validates and decodes one batch file; throws Cifar10FormatError naming the file. */
export function parseCifar10Batch(
  input: Uint8Array | ArrayBuffer,
  fileName: string,
  options: Cifar10ParseOptions = {},
): Cifar10Batch {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  const count = validateCifar10Batch(bytes, fileName, options);
  const images = new Uint8Array(count * CIFAR10_IMAGE_BYTES);
  const labels = new Uint8Array(count);
  decodeCifar10Records(bytes, images, labels, 0);
  return { count, images, labels };
}
