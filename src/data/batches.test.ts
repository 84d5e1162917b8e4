import { describe, expect, it } from 'vitest';
import { ShuffledBatches, epochPermutation, fixedBatches } from './batches';

const indices = Int32Array.from({ length: 23 }, (_, i) => 100 + 3 * i);
const sorted = (xs: Iterable<number>) => Array.from(xs).sort((a, b) => a - b);

describe('epochPermutation', () => {
  it('is a permutation of the indices, fixed by (seed, epoch)', () => {
    const p = epochPermutation(indices, 42, 0);
    expect(sorted(p)).toEqual(Array.from(indices));
    expect(epochPermutation(indices, 42, 0)).toEqual(p);
    expect(epochPermutation(indices, 42, 1)).not.toEqual(p);
    expect(epochPermutation(indices, 43, 0)).not.toEqual(p);
  });
});

describe('ShuffledBatches', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const take = (seed: number) => {
      const it = new ShuffledBatches(indices, 5, seed);
      return Array.from({ length: 9 }, () => Array.from(it.next()));
    };
    expect(take(7)).toEqual(take(7));
    expect(take(7)).not.toEqual(take(8));
  });

  it('yields full batches that form a permutation per epoch, dropping the remainder', () => {
    const divisible = Int32Array.from({ length: 20 }, (_, i) => i);
    const it4 = new ShuffledBatches(divisible, 4, 'a');
    expect(it4.batchesPerEpoch).toBe(5);
    for (let epoch = 0; epoch < 3; epoch++) {
      expect(it4.epoch).toBe(epoch);
      const seen: number[] = [];
      for (let b = 0; b < 5; b++) seen.push(...it4.next());
      expect(sorted(seen)).toEqual(Array.from(divisible));
    }

    const it5 = new ShuffledBatches(indices, 5, 'b');
    expect(it5.batchesPerEpoch).toBe(4);
    const epochs: number[][] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      const seen: number[] = [];
      for (let b = 0; b < 4; b++) {
        const batch = it5.next();
        expect(batch.length).toBe(5);
        seen.push(...batch);
      }
      expect(new Set(seen).size).toBe(20);
      expect(seen.every((i) => indices.includes(i))).toBe(true);
      epochs.push(seen);
    }
    expect(epochs[0]).not.toEqual(epochs[1]);
  });

  it('resumes at a step with the batches an uninterrupted run would see', () => {
    const full = new ShuffledBatches(indices, 4, 9);
    const batches = Array.from({ length: 12 }, () => Array.from(full.next()));
    const resumed = new ShuffledBatches(indices, 4, 9, 7);
    expect(resumed.step).toBe(7);
    expect(Array.from(resumed.next())).toEqual(batches[7]);
    expect(Array.from(resumed.next())).toEqual(batches[8]);
  });

  it('rejects a batch larger than the split', () => {
    expect(() => new ShuffledBatches(Int32Array.from([1, 2]), 3, 0)).toThrow(/larger than/);
  });
});

describe('fixedBatches', () => {
  it('covers the split in order, last batch smaller', () => {
    const batches = Array.from(fixedBatches(indices, 10), (b) => Array.from(b));
    expect(batches.map((b) => b.length)).toEqual([10, 10, 3]);
    expect(batches.flat()).toEqual(Array.from(indices));
    expect(Array.from(fixedBatches(indices, 10, 12), (b) => b.length)).toEqual([10, 2]);
  });
});
