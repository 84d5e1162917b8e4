/**
 * The compact dataset file the build writes for the official MNIST and Fashion-MNIST
 * (public/data/<name>.bnnd, served gzip-compressed as <name>.bnnd.gz). One file holds both
 * splits: the first `trainCount` images are the train split, the rest the test split, each in
 * its documented canonical order (docs/DATASETS.md). Layout, integers little-endian uint32:
 *
 *   offset 0    magic "BNND" (4 ASCII bytes)
 *   offset 4    version (= DATASET_FILE_VERSION)
 *   offset 8    count       number of images
 *   offset 12   height
 *   offset 16   width
 *   offset 20   channels
 *   offset 24   trainCount  images [0, trainCount) are train, [trainCount, count) test
 *   offset 28   namesBytes  length of the class-name JSON that follows
 *   offset 32   class names: UTF-8 JSON array of strings (its length is the number of classes)
 *   then        labels: count bytes, each < the number of classes
 *   then        pixels: count · height · width · channels bytes, NHWC, 0..255
 */
export const DATASET_FILE_MAGIC = 'BNND';
export const DATASET_FILE_VERSION = 1;
const FIXED_HEADER_BYTES = 32;

export interface DatasetFileContents {
  height: number;
  width: number;
  channels: number;
  trainCount: number;
  classNames: string[];
  labels: Uint8Array;
  pixels: Uint8Array;
}

export function encodeDatasetFile(d: DatasetFileContents): Uint8Array {
  const count = d.labels.length;
  const imageSize = d.height * d.width * d.channels;
  if (d.pixels.length !== count * imageSize) {
    throw new Error(`dataset file: ${d.pixels.length} pixel bytes for ${count} images of ${d.height}×${d.width}×${d.channels}`);
  }
  if (!(d.trainCount >= 0 && d.trainCount <= count)) throw new Error(`dataset file: train count ${d.trainCount} of ${count} images`);
  const names = new TextEncoder().encode(JSON.stringify(d.classNames));
  const out = new Uint8Array(FIXED_HEADER_BYTES + names.length + count + d.pixels.length);
  for (let i = 0; i < 4; i++) out[i] = DATASET_FILE_MAGIC.charCodeAt(i);
  const view = new DataView(out.buffer);
  [DATASET_FILE_VERSION, count, d.height, d.width, d.channels, d.trainCount, names.length].forEach((v, i) =>
    view.setUint32(4 + 4 * i, v, true),
  );
  out.set(names, FIXED_HEADER_BYTES);
  out.set(d.labels, FIXED_HEADER_BYTES + names.length);
  out.set(d.pixels, FIXED_HEADER_BYTES + names.length + count);
  return out;
}

/** Parses and validates a dataset file; labels and pixels are views into `input`. */
export function decodeDatasetFile(input: Uint8Array, what = 'dataset file'): DatasetFileContents {
  if (input.length < FIXED_HEADER_BYTES) {
    throw new Error(`${what}: ${input.length} bytes is shorter than the ${FIXED_HEADER_BYTES}-byte header`);
  }
  const magic = String.fromCharCode(input[0], input[1], input[2], input[3]);
  if (magic !== DATASET_FILE_MAGIC) {
    throw new Error(`${what}: bad magic "${magic}", expected "${DATASET_FILE_MAGIC}" (not a BNN Playground dataset file)`);
  }
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const u32 = (offset: number) => view.getUint32(offset, true);
  const version = u32(4);
  if (version !== DATASET_FILE_VERSION) {
    throw new Error(`${what}: version ${version} unsupported, expected ${DATASET_FILE_VERSION}; rebuild it with npm run prepare-data`);
  }
  const [count, height, width, channels, trainCount, namesBytes] = [8, 12, 16, 20, 24, 28].map(u32);
  if (count === 0 || height === 0 || width === 0 || channels === 0) {
    throw new Error(`${what}: empty sizes in the header (count ${count}, ${height}×${width}×${channels})`);
  }
  if (trainCount > count) throw new Error(`${what}: train count ${trainCount} exceeds the ${count} images`);
  const imageSize = height * width * channels;
  const expected = FIXED_HEADER_BYTES + namesBytes + count + count * imageSize;
  if (input.length !== expected) {
    throw new Error(`${what}: ${input.length} bytes, expected ${expected} for ${count} images of ${height}×${width}×${channels} (truncated or corrupt)`);
  }
  const classNames = parseClassNames(input.subarray(FIXED_HEADER_BYTES, FIXED_HEADER_BYTES + namesBytes), what);
  const labelsStart = FIXED_HEADER_BYTES + namesBytes;
  const labels = input.subarray(labelsStart, labelsStart + count);
  for (let i = 0; i < count; i++) {
    if (labels[i] >= classNames.length) {
      throw new Error(`${what}: label ${labels[i]} of image ${i} is not below the ${classNames.length} classes`);
    }
  }
  return { height, width, channels, trainCount, classNames, labels, pixels: input.subarray(labelsStart + count) };
}

function parseClassNames(bytes: Uint8Array, what: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new Error(`${what}: the class names are not valid UTF-8 JSON`);
  }
  if (!Array.isArray(parsed) || parsed.length < 2 || parsed.length > 256 || !parsed.every((n) => typeof n === 'string')) {
    throw new Error(`${what}: the class names must be a JSON array of 2 to 256 strings`);
  }
  return parsed as string[];
}
