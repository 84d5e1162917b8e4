import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadPackedDatasetNode, mnistIdxFiles } from './datasets-node';
import { readFileSync } from 'node:fs';

describe('official MNIST', () => {
  const ds = loadPackedDatasetNode('mnist');

  it('is the 60,000 training images then the 10,000 test images of the IDX files, in file order', () => {
    expect([ds.name, ds.trainIndices.length, ds.testIndices.length, ds.height, ds.width, ds.channels]).toEqual(['mnist', 60000, 10000, 28, 28, 1]);
    const f = mnistIdxFiles();
    const trainLabels = readFileSync(f.trainLabels).subarray(8);
    const testLabels = readFileSync(f.testLabels).subarray(8);
    const testImages = readFileSync(f.testImages).subarray(16);
    for (const i of [0, 1, 59999]) expect(ds.label(ds.trainIndices[i])).toBe(trainLabels[i]);
    for (const i of [0, 9999]) {
      expect(ds.label(ds.testIndices[i])).toBe(testLabels[i]);
      expect(Buffer.from(ds.rawImage(ds.testIndices[i])).equals(testImages.subarray(i * 784, (i + 1) * 784))).toBe(true);
    }
  });
});

describe('Fashion-MNIST split', () => {
  const ds = loadPackedDatasetNode('fashion-mnist');

  it('is stratified 6,000 / 1,000 per class and no test image has an exact copy in train', () => {
    expect([ds.trainIndices.length, ds.testIndices.length]).toEqual([60000, 10000]);
    for (const [split, per] of [[ds.trainIndices, 6000], [ds.testIndices, 1000]] as const) {
      const counts = new Array(10).fill(0);
      for (const i of split) counts[ds.label(i)]++;
      expect(counts).toEqual(new Array(10).fill(per));
    }
    const hash = (i: number) => createHash('sha1').update(ds.rawImage(i)).digest('hex');
    const train = new Set(Array.from(ds.trainIndices, hash));
    expect(Array.from(ds.testIndices).filter((i) => train.has(hash(i)))).toEqual([]);
  });
});
