import type { ImageDataset } from './dataset';
import { DATASETS, type DatasetName } from './catalog';
import { datasetFromFile } from './dataset-from-file';
import { fetchDatasetBytes, type LoadProgress } from './fetch-dataset';
import { loadMnistFromBytes } from './mnist';
import { createShapesDataset } from './shapes';

/** Every run on the same source sees the same images: the shapes dataset has a fixed seed. */
export const SHAPES_DATASET_SEED = 1;

const cache = new Map<string, Promise<ImageDataset>>();
let cifar: ImageDataset | null = null;

/** Registers an uploaded CIFAR-10 dataset for later runs. */
export function setCifar10(ds: ImageDataset): void {
  cifar = ds;
}

/**
 * Loads (once) the dataset a config names; files are fetched relative to the app's base URL, on
 * demand, with progress reports while the bytes arrive (from the network or the local cache).
 */
export function loadDataset(name: DatasetName, baseUrl: string, onProgress?: (p: LoadProgress) => void): Promise<ImageDataset> {
  if (name === 'cifar10') {
    if (!cifar) return Promise.reject(new Error('CIFAR-10 is not loaded: upload the binary batches first'));
    return Promise.resolve(cifar);
  }
  let p = cache.get(name);
  if (!p) {
    p = load(name, baseUrl, onProgress);
    p.catch(() => cache.delete(name));
    cache.set(name, p);
  }
  return p;
}

async function load(name: Exclude<DatasetName, 'cifar10'>, baseUrl: string, onProgress?: (p: LoadProgress) => void): Promise<ImageDataset> {
  const file = DATASETS[name].file;
  if (name === 'shapes' || !file) return createShapesDataset({ seed: SHAPES_DATASET_SEED });
  const bytes = await fetchDatasetBytes(`${baseUrl}data/${file}`, onProgress);
  return name === 'mnist-small' ? loadMnistFromBytes(bytes) : datasetFromFile(name, bytes);
}
