import type { ImageDataset } from '../data/dataset';
import { SafetensorsError, readSafetensors, requireTensor, writeSafetensors } from './safetensors';

/**
 * A dataset split as one safetensors file (docs/DATASETS.md, "Data files for checking"), so a
 * model can be checked outside the app on exactly the images the app evaluates:
 *   images   U8  [N, H, W, C]  raw pixels, NHWC, in the split's order (canonical order ascending)
 *   labels   U8  [N]           class of each image
 *   indices  I32 [N]           each image's canonical index (what predictions.json calls index)
 * with `__metadata__` format `bnn-playground-data`, format_version `1`, split, and dataset
 * (JSON: name, inputShape, classNames, and the train split's per-channel mean and std).
 */
export const DATA_FORMAT_NAME = 'bnn-playground-data';
export const DATA_FORMAT_VERSION = 1;
export type DataSplit = 'train' | 'test';

export interface DataFile {
  dataset: { name: string; inputShape: [number, number, number]; classNames: string[]; mean: number[]; std: number[] };
  split: DataSplit;
  images: Uint8Array;
  labels: Uint8Array;
  indices: Int32Array;
}

export function writeDataFile(data: ImageDataset, split: DataSplit): Uint8Array {
  if (data.numClasses > 256) throw new Error(`${data.name}: ${data.numClasses} classes do not fit the U8 labels`);
  const indices = Int32Array.from(split === 'train' ? data.trainIndices : data.testIndices);
  const n = indices.length;
  const images = new Uint8Array(n * data.imageSize);
  const labels = new Uint8Array(n);
  indices.forEach((index, i) => {
    images.set(data.rawImage(index), i * data.imageSize);
    labels[i] = data.label(index);
  });
  const dataset = {
    name: data.name,
    inputShape: [data.height, data.width, data.channels],
    classNames: [...data.classNames],
    mean: Array.from(data.mean),
    std: Array.from(data.std),
  };
  return writeSafetensors(
    new Map([
      ['images', { dtype: 'U8', shape: [n, data.height, data.width, data.channels], data: images }],
      ['labels', { dtype: 'U8', shape: [n], data: labels }],
      ['indices', { dtype: 'I32', shape: [n], data: indices }],
    ] as const),
    { format: DATA_FORMAT_NAME, format_version: String(DATA_FORMAT_VERSION), split, dataset: JSON.stringify(dataset) },
  );
}

/** Reads a data file back (strictly: the three tensors with matching sizes and the metadata). */
export function readDataFile(bytes: Uint8Array): DataFile {
  const file = readSafetensors(bytes, { copy: true });
  const meta = file.metadata;
  if (meta.format !== DATA_FORMAT_NAME || meta.format_version !== String(DATA_FORMAT_VERSION)) {
    throw new SafetensorsError('metadata_json', `not a ${DATA_FORMAT_NAME} version ${DATA_FORMAT_VERSION} file`);
  }
  if (meta.split !== 'train' && meta.split !== 'test') throw new SafetensorsError('metadata_json', `split must be train or test, found '${meta.split}'`);
  const dataset = JSON.parse(meta.dataset) as DataFile['dataset'];
  const images = requireTensor(file, 'images', 'U8');
  const n = images.shape[0];
  return {
    dataset,
    split: meta.split,
    images: images.data,
    labels: requireTensor(file, 'labels', 'U8', [n]).data,
    indices: requireTensor(file, 'indices', 'I32', [n]).data,
  };
}
