/**
 * A zero-bordered copy of an NHWC image, [n][h + 2·pad][w + 2·pad][perPixel], so a conv can
 * read every tap of every output pixel without bounds tests: the binary conv's packed words
 * (perPixel = words per pixel) and the direct conv's floats (perPixel = channels).
 */
export function copyBordered<T extends Int32Array | Float32Array>(
  src: T, n: number, h: number, w: number, perPixel: number, pad: number, dst: T,
): T {
  const hp = h + 2 * pad;
  const wp = w + 2 * pad;
  const size = n * hp * wp * perPixel;
  if (dst.length < size) throw new RangeError(`a bordered image needs ${size} values, got ${dst.length}`);
  dst.fill(0, 0, size);
  const row = w * perPixel;
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < h; y++) {
      const from = (b * h + y) * row;
      dst.set(src.subarray(from, from + row), ((b * hp + y + pad) * wp + pad) * perPixel);
    }
  }
  return dst;
}

/** Values of the bordered layout of an [n, h, w, perPixel] image. */
export function borderedSize(n: number, h: number, w: number, perPixel: number, pad: number): number {
  return n * (h + 2 * pad) * (w + 2 * pad) * perPixel;
}
