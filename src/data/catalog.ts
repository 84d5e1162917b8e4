import { CIFAR10_CLASS_NAMES } from './cifar10';
import { FASHION_CLASS_NAMES } from './fashion-mnist-convert';
import { MNIST_CLASS_NAMES } from './mnist';
import { SHAPE_CLASS_NAMES } from './shapes-geometry';

/**
 * Every dataset a run can name: its label, input geometry, class names and where its images come
 * from. Config enums, the dataset picker, the summary and the loaders read this one table.
 * File layouts: docs/DATASETS.md.
 */
export const DATASET_NAMES = ['mnist', 'fashion-mnist', 'mnist-small', 'shapes', 'cifar10'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export interface DatasetEntry {
  label: string;
  /** [H, W, C] */
  input: [number, number, number];
  classNames: readonly string[];
  /** File under public/data/ the browser fetches (null: rendered on demand or uploaded). */
  file: string | null;
  /** Train / test images, for the picker's description. */
  trainImages: number | null;
  testImages: number | null;
  /**
   * What an image's empty area is: 'black' for dark-background datasets (IR2Net's restriction
   * erases to black there), 'mean' for photos and clutter (it erases to the mean colour).
   */
  background: 'black' | 'mean';
}

export const DATASETS: Readonly<Record<DatasetName, DatasetEntry>> = {
  mnist: {
    label: 'MNIST (official, 60k/10k)',
    input: [28, 28, 1],
    classNames: MNIST_CLASS_NAMES,
    file: 'mnist.bnnd.gz',
    trainImages: 60_000,
    testImages: 10_000,
    background: 'black',
  },
  'fashion-mnist': {
    label: 'Fashion-MNIST (60k/10k)',
    input: [28, 28, 1],
    classNames: FASHION_CLASS_NAMES,
    file: 'fashion-mnist.bnnd.gz',
    trainImages: 60_000,
    testImages: 10_000,
    background: 'black',
  },
  'mnist-small': {
    label: 'MNIST small (10k digits, fast)',
    input: [28, 28, 1],
    classNames: MNIST_CLASS_NAMES,
    file: 'mnist-small.bin',
    trainImages: 8_576,
    testImages: 1_424,
    background: 'black',
  },
  shapes: {
    label: 'Synthetic shapes (32×32 colour)',
    input: [32, 32, 3],
    classNames: SHAPE_CLASS_NAMES,
    file: null,
    trainImages: 10_000,
    testImages: 2_000,
    background: 'mean',
  },
  cifar10: {
    label: 'CIFAR-10 (upload the batches)',
    input: [32, 32, 3],
    classNames: CIFAR10_CLASS_NAMES,
    file: null,
    trainImages: 50_000,
    testImages: 10_000,
    background: 'mean',
  },
};

/** The background kind of a dataset by name ('mean' for names outside the catalog). */
export function backgroundOf(name: string): DatasetEntry['background'] {
  return isDatasetName(name) ? DATASETS[name].background : 'mean';
}

export function isDatasetName(name: string): name is DatasetName {
  return (DATASET_NAMES as readonly string[]).includes(name);
}
