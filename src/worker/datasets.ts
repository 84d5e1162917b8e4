import type { ImageDataset } from '../data/dataset';
import type { RunConfig } from '../bnn/config';
import { loadMnistBrowser } from '../data/mnist';
import { createShapesDataset } from '../data/shapes';

/** Every run on the same source sees the same images: the shapes dataset has a fixed seed. */
export const SHAPES_DATASET_SEED = 1;

const cache = new Map<string, Promise<ImageDataset>>();
let cifar: ImageDataset | null = null;

/** Registers an uploaded CIFAR-10 dataset for later runs. */
export function setCifar10(ds: ImageDataset): void {
  cifar = ds;
}

/** Loads (once) the dataset a config names; fetches relative to the app's base URL. */
export function loadDataset(name: RunConfig['dataset'], baseUrl: string): Promise<ImageDataset> {
  if (name === 'cifar10') {
    if (!cifar) return Promise.reject(new Error('CIFAR-10 is not loaded: upload the binary batches first'));
    return Promise.resolve(cifar);
  }
  let p = cache.get(name);
  if (!p) {
    p = name === 'mnist' ? loadMnistBrowser(`${baseUrl}data/mnist.bin`) : Promise.resolve(createShapesDataset({ seed: SHAPES_DATASET_SEED }));
    p.catch(() => cache.delete(name));
    cache.set(name, p);
  }
  return p;
}
