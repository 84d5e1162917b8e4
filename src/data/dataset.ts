/**
 * The one interface every image source (MNIST, synthetic shapes, CIFAR-10) plugs into,
 * and the shared array-backed implementation they all build on.
 *
 * Images live once in memory as uint8 NHWC in a fixed "canonical" order; the train and
 * test splits are index lists into that order. Normalisation is per channel,
 * `(v/255 - mean[c]) / std[c]`, with mean and std measured over the train split only, so
 * a normalised 0 is the mean colour (what crop padding and IR2Net masking erase to).
 */
export interface ImageDataset {
  /** 'mnist' | 'shapes' | 'cifar10' */
  readonly name: string;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly numClasses: number;
  readonly classNames: readonly string[];
  /** Number of images in canonical order (train and test together). */
  readonly size: number;
  /** height · width · channels: floats per image in a batch buffer. */
  readonly imageSize: number;
  /** Canonical indices of the train split, ascending. */
  readonly trainIndices: Int32Array;
  /** Canonical indices of the test split, ascending. */
  readonly testIndices: Int32Array;
  /** Per-channel mean of v/255 over the train split (or the sample the source names). */
  readonly mean: Float32Array;
  /** Per-channel population std of v/255 over the same images. */
  readonly std: Float32Array;
  /**
   * Writes normalised NHWC float32 images ((v/255 - mean)/std) of the given canonical
   * indices into `out` (image i at offset i·imageSize) and their labels into `labels`.
   */
  fillBatch(indices: ArrayLike<number>, out: Float32Array, labels: Int32Array): void;
  /** Raw uint8 NHWC image of one canonical index (for display / export); a copy. */
  rawImage(index: number): Uint8Array;
  label(index: number): number;
}

export interface DatasetArrays {
  name: string;
  /** All images, uint8 NHWC, canonical order; length = count · h · w · c. */
  images: Uint8Array;
  /** One label per image, 0 ≤ label < classNames.length. */
  labels: ArrayLike<number>;
  h: number;
  w: number;
  c: number;
  classNames: readonly string[];
  trainIndices: Int32Array;
  testIndices: Int32Array;
  /** Images whose pixels give mean/std; default the whole train split. */
  statsIndices?: ArrayLike<number>;
  /**
   * Called before an image's pixels are read (statistics, batches, raw images), so a
   * source can render images on first use instead of all up front.
   */
  prepareImage?: (index: number) => void;
}

/** Per-channel mean and population std of v/255 over the given images. */
export function channelStats(
  images: Uint8Array,
  imageSize: number,
  channels: number,
  indices: ArrayLike<number>,
): { mean: Float32Array; std: Float32Array } {
  // A 256-bin histogram per channel makes the statistics exact and cheap (one pass of
  // integer increments), independent of how many images are summed.
  const histogram = new Float64Array(256 * channels);
  for (let k = 0; k < indices.length; k++) {
    const base = indices[k] * imageSize;
    for (let p = 0; p < imageSize; p += channels) {
      for (let ch = 0; ch < channels; ch++) histogram[ch * 256 + images[base + p + ch]]++;
    }
  }
  const mean = new Float32Array(channels);
  const std = new Float32Array(channels);
  for (let ch = 0; ch < channels; ch++) {
    let n = 0;
    let sum = 0;
    let sumSq = 0;
    for (let v = 0; v < 256; v++) {
      const count = histogram[ch * 256 + v];
      const x = v / 255;
      n += count;
      sum += count * x;
      sumSq += count * x * x;
    }
    const m = n > 0 ? sum / n : 0;
    mean[ch] = m;
    std[ch] = n > 0 ? Math.sqrt(Math.max(0, sumSq / n - m * m)) : 0;
  }
  return { mean, std };
}

/** Builds an ImageDataset over in-memory uint8 NHWC images; mean/std over the train split. */
export function datasetFromArrays(arrays: DatasetArrays): ImageDataset {
  const { name, h, w, c, classNames, trainIndices, testIndices } = arrays;
  // A plain Uint8Array view, so slice() copies even when the caller passed a Node Buffer.
  const images = new Uint8Array(arrays.images.buffer, arrays.images.byteOffset, arrays.images.length);
  const imageSize = h * w * c;
  const numClasses = classNames.length;
  if (!(h > 0 && w > 0 && c > 0) || !Number.isInteger(imageSize)) {
    throw new Error(`${name}: invalid image shape ${h}x${w}x${c}`);
  }
  if (images.length % imageSize !== 0) {
    throw new Error(`${name}: ${images.length} pixel bytes is not a multiple of ${imageSize}`);
  }
  const size = images.length / imageSize;
  if (arrays.labels.length !== size) {
    throw new Error(`${name}: ${arrays.labels.length} labels for ${size} images`);
  }
  const labels = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const y = arrays.labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= numClasses) {
      throw new Error(`${name}: label ${y} of image ${i} outside 0..${numClasses - 1}`);
    }
    labels[i] = y;
  }
  const prepareImage = arrays.prepareImage;
  const statsIndices = arrays.statsIndices ?? trainIndices;
  const splits = [['train', trainIndices], ['test', testIndices], ['statistics', statsIndices]] as const;
  for (const [splitName, split] of splits) {
    for (let k = 0; k < split.length; k++) {
      if (split[k] < 0 || split[k] >= size) {
        throw new Error(`${name}: ${splitName} index ${split[k]} outside 0..${size - 1}`);
      }
    }
  }

  if (prepareImage) for (let k = 0; k < statsIndices.length; k++) prepareImage(statsIndices[k]);
  const { mean, std } = channelStats(images, imageSize, c, statsIndices);
  // Lookup table byte -> normalised float per channel; a constant channel keeps std 1
  // so normalisation never divides by zero.
  const table = new Float32Array(256 * c);
  for (let ch = 0; ch < c; ch++) {
    const s = std[ch] > 1e-12 ? std[ch] : 1;
    for (let v = 0; v < 256; v++) table[ch * 256 + v] = (v / 255 - mean[ch]) / s;
  }

  function checkIndex(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= size) {
      throw new RangeError(`${name}: image index ${index} outside 0..${size - 1}`);
    }
  }

  return {
    name,
    height: h,
    width: w,
    channels: c,
    numClasses,
    classNames,
    size,
    imageSize,
    trainIndices,
    testIndices,
    mean,
    std,
    fillBatch(indices, out, outLabels) {
      const n = indices.length;
      if (out.length < n * imageSize) {
        throw new RangeError(`${name}: batch buffer holds ${out.length} floats, needs ${n * imageSize}`);
      }
      if (outLabels.length < n) {
        throw new RangeError(`${name}: label buffer holds ${outLabels.length}, needs ${n}`);
      }
      for (let k = 0; k < n; k++) {
        const index = indices[k];
        checkIndex(index);
        prepareImage?.(index);
        const src = index * imageSize;
        const dst = k * imageSize;
        if (c === 1) {
          for (let p = 0; p < imageSize; p++) out[dst + p] = table[images[src + p]];
        } else {
          for (let p = 0; p < imageSize; p += c) {
            for (let ch = 0; ch < c; ch++) out[dst + p + ch] = table[ch * 256 + images[src + p + ch]];
          }
        }
        outLabels[k] = labels[index];
      }
    },
    rawImage(index) {
      checkIndex(index);
      prepareImage?.(index);
      return images.slice(index * imageSize, (index + 1) * imageSize);
    },
    label(index) {
      checkIndex(index);
      return labels[index];
    },
  };
}

/** Allocates an image buffer and a label buffer for batches of `batchSize` images. */
export function createBatchBuffers(
  dataset: Pick<ImageDataset, 'imageSize'>,
  batchSize: number,
): { images: Float32Array; labels: Int32Array } {
  return { images: new Float32Array(batchSize * dataset.imageSize), labels: new Int32Array(batchSize) };
}
