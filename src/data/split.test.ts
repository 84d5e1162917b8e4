import { describe, expect, it } from 'vitest';
import { stratifiedSplit } from './split';

describe('stratifiedSplit', () => {
  it('sends every 7th image of each class (per-class ranks 6, 13, …) to test', () => {
    // Two interleaved classes: class 0 at even positions, class 1 at odd positions.
    const labels = Array.from({ length: 30 }, (_, i) => i % 2);
    const { trainIndices, testIndices } = stratifiedSplit(labels, 2, 7);
    // Class 0 rank r sits at 2r, class 1 rank r at 2r + 1; ranks 6 and 13 are test.
    expect(Array.from(testIndices)).toEqual([12, 13, 26, 27]);
    expect(trainIndices.length).toBe(26);
  });

  it('is disjoint, covers every image, ascending, stratified and deterministic', () => {
    const counts = [100, 71, 14, 6, 50];
    const labels: number[] = [];
    // Shuffle classes through the order with a fixed pattern.
    for (let i = 0; labels.length < counts.reduce((a, b) => a + b, 0); i++) {
      const y = (i * 3) % counts.length;
      if (labels.filter((l) => l === y).length < counts[y]) labels.push(y);
    }
    const a = stratifiedSplit(labels, counts.length);
    const b = stratifiedSplit(labels, counts.length);
    expect(a.trainIndices).toEqual(b.trainIndices);
    expect(a.testIndices).toEqual(b.testIndices);

    const all = [...a.trainIndices, ...a.testIndices].sort((x, y) => x - y);
    expect(all).toEqual(labels.map((_, i) => i));
    for (const split of [a.trainIndices, a.testIndices]) {
      for (let k = 1; k < split.length; k++) expect(split[k]).toBeGreaterThan(split[k - 1]);
    }
    counts.forEach((n, y) => {
      const testOfClass = Array.from(a.testIndices).filter((i) => labels[i] === y).length;
      expect(testOfClass).toBe(Math.floor(n / 7));
    });
  });

  it('rejects labels outside the class range', () => {
    expect(() => stratifiedSplit([0, 3], 3)).toThrow(/label 3 of image 1/);
  });
});
