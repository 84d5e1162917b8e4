import { datasetFromArrays, type ImageDataset } from './dataset';
import { decodeDatasetFile } from './dataset-file';

/**
 * An ImageDataset over a decoded dataset file (dataset-file.ts): canonical order is file order,
 * the first trainCount images are the train split, the rest the test split.
 */
export function datasetFromFile(name: string, bytes: Uint8Array): ImageDataset {
  const d = decodeDatasetFile(bytes, `${name} data file`);
  const count = d.labels.length;
  const trainIndices = Int32Array.from({ length: d.trainCount }, (_, i) => i);
  const testIndices = Int32Array.from({ length: count - d.trainCount }, (_, i) => d.trainCount + i);
  return datasetFromArrays({
    name,
    images: d.pixels,
    labels: d.labels,
    h: d.height,
    w: d.width,
    c: d.channels,
    classNames: d.classNames,
    trainIndices,
    testIndices,
  });
}
