import { encodeMnistBin } from './mnist-format';

/**
 * Converts the `mnist` package's digits (one flat float array per class, 0..1, 784 values
 * per image) into mnist-small.bin bytes. Canonical order: class 0's images in file order, then
 * class 1, … class 9. Pure (no fs), so tests and the Node loader can call it.
 */
export function convertMnistDigits(
  perClass: readonly ArrayLike<number>[],
  rows = 28,
  cols = 28,
): Uint8Array {
  const imageSize = rows * cols;
  let count = 0;
  perClass.forEach((values, digit) => {
    if (values.length % imageSize !== 0) {
      throw new Error(`digit ${digit}: ${values.length} values is not a multiple of ${imageSize}`);
    }
    count += values.length / imageSize;
  });
  const labels = new Uint8Array(count);
  const pixels = new Uint8Array(count * imageSize);
  let image = 0;
  perClass.forEach((values, digit) => {
    const n = values.length / imageSize;
    labels.fill(digit, image, image + n);
    const offset = image * imageSize;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!(v >= 0 && v <= 1)) throw new Error(`digit ${digit}: value ${v} at ${i} outside 0..1`);
      pixels[offset + i] = Math.round(v * 255);
    }
    image += n;
  });
  return encodeMnistBin({ count, rows, cols, labels, pixels });
}
