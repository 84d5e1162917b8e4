import { describe, expect, it } from 'vitest';
import { stratifiedSample } from './stratified-sample';

// 3 classes of 50, 30 and 4 images, sorted by class (as MNIST small and Fashion-MNIST are)
const labels = [...Array(50).fill(0), ...Array(30).fill(1), ...Array(4).fill(2)];
const indices = Int32Array.from(labels.map((_, i) => i));
const labelOf = (i: number) => labels[i];

describe('stratifiedSample', () => {
  it('gives every class an equal share, the remainder one each, all distinct and from the input', () => {
    const s = stratifiedSample(indices, labelOf, 3, 10, 'a');
    expect(s.length).toBe(10);
    expect(new Set(s).size).toBe(10);
    const counts = [0, 1, 2].map((c) => Array.from(s).filter((i) => labels[i] === c).length);
    expect(counts.sort()).toEqual([3, 3, 4]);
  });

  it('interleaves the classes, so any prefix covers them', () => {
    const s = stratifiedSample(indices, labelOf, 3, 9, 'b');
    expect(new Set(Array.from(s.subarray(0, 3), labelOf)).size).toBe(3);
  });

  it('fills a small class’s shortfall from the others', () => {
    const s = stratifiedSample(indices, labelOf, 3, 30, 'c');
    const counts = [0, 1, 2].map((c) => Array.from(s).filter((i) => labels[i] === c).length);
    expect(counts[2]).toBe(4);
    expect(counts[0] + counts[1]).toBe(26);
    expect(Math.abs(counts[0] - counts[1])).toBeLessThanOrEqual(1);
  });

  it('is deterministic per seed, different across seeds, and never longer than its input', () => {
    expect(stratifiedSample(indices, labelOf, 3, 12, 'x')).toEqual(stratifiedSample(indices, labelOf, 3, 12, 'x'));
    expect(stratifiedSample(indices, labelOf, 3, 12, 'x')).not.toEqual(stratifiedSample(indices, labelOf, 3, 12, 'y'));
    expect(stratifiedSample(indices, labelOf, 3, 500, 'x').length).toBe(84);
    expect(stratifiedSample(indices, labelOf, 3, 0, 'x').length).toBe(0);
  });
});
