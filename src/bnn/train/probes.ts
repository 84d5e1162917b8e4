import type { ImageDataset } from '../../data/dataset';
import { stratifiedSample } from '../../data/stratified-sample';

/** Test images the layer statistics are measured on: a stratified sample, the same for every run. */
export const STATS_PROBE_IMAGES = 50;

/** The images layer statistics, BN health and attention masks are measured on: a stratified test sample. */
export function probeImages(data: ImageDataset, count = STATS_PROBE_IMAGES): Int32Array {
  return stratifiedSample(data.testIndices, (i) => data.label(i), data.numClasses, count, 'probe');
}
