import seedrandom from 'seedrandom';

/**
 * A seeded, stratified sample of `count` indices from `indices`: every class gets
 * ⌊count / classes⌋ images, and the remainder goes one each to the classes that come first in a
 * seeded order (a class with too few images gives all it has; the shortfall is filled from the
 * classes with images left, so the sample has min(count, indices.length) images). Within a class
 * the images are a seeded random choice. The result lists the images class by class, interleaved
 * (one of each class in turn), so any prefix is itself close to stratified.
 */
export function stratifiedSample(
  indices: ArrayLike<number>,
  labelOf: (index: number) => number,
  numClasses: number,
  count: number,
  seed: string,
): Int32Array {
  const rng = seedrandom.alea(`stratified:${seed}`);
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < indices.length; i++) {
    const y = labelOf(indices[i]);
    if (!(y >= 0 && y < numClasses)) throw new RangeError(`stratifiedSample: label ${y} outside 0..${numClasses - 1}`);
    byClass[y].push(indices[i]);
  }
  for (const list of byClass) shuffle(list, rng);
  const n = Math.min(Math.max(0, Math.floor(count)), indices.length);
  const classOrder = shuffle(Array.from({ length: numClasses }, (_, c) => c), rng);
  const take = new Array<number>(numClasses).fill(0);
  // Round-robin over the classes in the seeded order: equal shares, remainder to the first ones,
  // and a class that runs out passes its turn on.
  let left = n;
  while (left > 0) {
    for (const c of classOrder) {
      if (left === 0) break;
      if (take[c] < byClass[c].length) {
        take[c]++;
        left--;
      }
    }
  }
  const out = new Int32Array(n);
  let k = 0;
  for (let round = 0; k < n; round++) {
    for (const c of classOrder) if (round < take[c]) out[k++] = byClass[c][round];
  }
  return out;
}

function shuffle<T>(list: T[], rng: () => number): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}
