import seedrandom from 'seedrandom';
import { datasetFromArrays, type ImageDataset } from './dataset';
import { SHAPE_CLASS_NAMES } from './shapes-geometry';
import { SHAPES_SIZE, renderShapesImage, type ShapePlacement } from './shapes-render';

export { SHAPE_CLASS_NAMES } from './shapes-geometry';
export type { ShapePlacement } from './shapes-render';

/**
 * The synthetic shapes dataset: 32×32×3 colour images, 10 classes (SHAPE_CLASS_NAMES) on
 * cluttered backgrounds, so masking the background (IR2Net restriction) matters.
 *
 * Deterministic per (seed, split, j): image j of a split is drawn from its own
 * alea(`shapes:${seed}:${split}:${j}`) stream and has class j mod 10, so both splits are
 * balanced and the test set does not change when trainSize does. Canonical order: the
 * trainSize train images, then the testSize test images.
 *
 * Images are rendered on first use and kept (rendering all 12,000 up front takes over a
 * second). Normalisation statistics therefore come from a fixed sample, the first
 * min(trainSize, SHAPES_STATS_SAMPLE) train images, rendered at creation.
 */
export interface ShapesOptions {
  seed?: string | number;
  trainSize?: number;
  testSize?: number;
}

export const SHAPES_DEFAULTS = { seed: 1, trainSize: 10_000, testSize: 2_000 } as const;
export const SHAPES_STATS_SAMPLE = 1_000;
const IMAGE_SIZE = SHAPES_SIZE * SHAPES_SIZE * 3;

/** Renders image j of a split on its own: exactly what the dataset holds at that position. */
export function renderShapesSample(
  seed: string | number,
  split: 'train' | 'test',
  j: number,
  out: Uint8Array = new Uint8Array(IMAGE_SIZE),
  offset = 0,
  scratch?: Float32Array,
): { label: number; image: Uint8Array; placement: ShapePlacement } {
  const label = j % SHAPE_CLASS_NAMES.length;
  const placement = renderShapesImage(label, seedrandom.alea(`shapes:${seed}:${split}:${j}`), out, offset, scratch);
  return { label, image: out, placement };
}

export function createShapesDataset(options: ShapesOptions = {}): ImageDataset {
  const seed = options.seed ?? SHAPES_DEFAULTS.seed;
  const trainSize = options.trainSize ?? SHAPES_DEFAULTS.trainSize;
  const testSize = options.testSize ?? SHAPES_DEFAULTS.testSize;
  for (const [key, n] of [['trainSize', trainSize], ['testSize', testSize]] as const) {
    if (!Number.isInteger(n) || n < 0) throw new Error(`shapes: ${key} must be a non-negative integer, got ${n}`);
  }
  if (trainSize === 0) throw new Error('shapes: trainSize must be at least 1 (the statistics come from it)');
  const count = trainSize + testSize;
  const images = new Uint8Array(count * IMAGE_SIZE);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) labels[i] = (i < trainSize ? i : i - trainSize) % SHAPE_CLASS_NAMES.length;
  const rendered = new Uint8Array(count);
  const scratch = new Float32Array(IMAGE_SIZE);

  return datasetFromArrays({
    name: 'shapes',
    images,
    labels,
    h: SHAPES_SIZE,
    w: SHAPES_SIZE,
    c: 3,
    classNames: SHAPE_CLASS_NAMES,
    trainIndices: Int32Array.from({ length: trainSize }, (_, i) => i),
    testIndices: Int32Array.from({ length: testSize }, (_, i) => trainSize + i),
    statsIndices: Int32Array.from({ length: Math.min(trainSize, SHAPES_STATS_SAMPLE) }, (_, i) => i),
    prepareImage(index) {
      if (rendered[index]) return;
      const split = index < trainSize ? 'train' : 'test';
      renderShapesSample(seed, split, index < trainSize ? index : index - trainSize, images, index * IMAGE_SIZE, scratch);
      rendered[index] = 1;
    },
  });
}
