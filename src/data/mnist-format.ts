/**
 * The compact MNIST file public/data/mnist-small.bin, written at build time, read by the page,
 * Workers and Node. Layout (all integers little-endian uint32):
 *
 *   offset 0   magic "MNST" (4 ASCII bytes)
 *   offset 4   version (= MNIST_BIN_VERSION)
 *   offset 8   count   (number of images)
 *   offset 12  rows
 *   offset 16  cols
 *   offset 20  labels: count bytes, 0..9
 *   then       pixels: count·rows·cols bytes, row-major per image, round(v·255)
 *
 * The package's floats have three decimals, so round(v·255) recovers them exactly.
 */
export const MNIST_BIN_MAGIC = 'MNST';
export const MNIST_BIN_VERSION = 1;
export const MNIST_BIN_HEADER_BYTES = 20;

export interface MnistArrays {
  count: number;
  rows: number;
  cols: number;
  /** count labels */
  labels: Uint8Array;
  /** count·rows·cols pixels, uint8 */
  pixels: Uint8Array;
}

/** Serialises labels and pixels into the mnist-small.bin layout. */
export function encodeMnistBin(data: MnistArrays): Uint8Array {
  const { count, rows, cols, labels, pixels } = data;
  if (labels.length !== count) throw new Error(`mnist-small.bin: ${labels.length} labels for ${count} images`);
  if (pixels.length !== count * rows * cols) {
    throw new Error(`mnist-small.bin: ${pixels.length} pixels for ${count} images of ${rows}x${cols}`);
  }
  const bytes = new Uint8Array(MNIST_BIN_HEADER_BYTES + count + pixels.length);
  for (let i = 0; i < 4; i++) bytes[i] = MNIST_BIN_MAGIC.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  view.setUint32(4, MNIST_BIN_VERSION, true);
  view.setUint32(8, count, true);
  view.setUint32(12, rows, true);
  view.setUint32(16, cols, true);
  bytes.set(labels, MNIST_BIN_HEADER_BYTES);
  bytes.set(pixels, MNIST_BIN_HEADER_BYTES + count);
  return bytes;
}

/** Parses and validates mnist-small.bin; the returned arrays are views into `input`. */
export function decodeMnistBin(input: Uint8Array | ArrayBuffer): MnistArrays {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length < MNIST_BIN_HEADER_BYTES) {
    throw new Error(`mnist-small.bin: ${bytes.length} bytes is shorter than the ${MNIST_BIN_HEADER_BYTES}-byte header`);
  }
  const magic = String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]);
  if (magic !== MNIST_BIN_MAGIC) {
    throw new Error(`mnist-small.bin: bad magic "${magic}", expected "${MNIST_BIN_MAGIC}" (is this the MNIST data file?)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== MNIST_BIN_VERSION) {
    throw new Error(`mnist-small.bin: version ${version} unsupported, expected ${MNIST_BIN_VERSION}; rerun npm run prepare-data`);
  }
  const count = view.getUint32(8, true);
  const rows = view.getUint32(12, true);
  const cols = view.getUint32(16, true);
  if (count === 0 || rows === 0 || cols === 0) {
    throw new Error(`mnist-small.bin: empty header sizes count=${count} rows=${rows} cols=${cols}`);
  }
  const expected = MNIST_BIN_HEADER_BYTES + count + count * rows * cols;
  if (bytes.length !== expected) {
    throw new Error(
      `mnist-small.bin: ${bytes.length} bytes, expected ${expected} for ${count} images of ${rows}x${cols} (truncated or corrupt)`,
    );
  }
  const labels = bytes.subarray(MNIST_BIN_HEADER_BYTES, MNIST_BIN_HEADER_BYTES + count);
  for (let i = 0; i < count; i++) {
    if (labels[i] > 9) throw new Error(`mnist-small.bin: label ${labels[i]} of image ${i} is not a digit`);
  }
  const pixels = bytes.subarray(MNIST_BIN_HEADER_BYTES + count);
  return { count, rows, cols, labels, pixels };
}
