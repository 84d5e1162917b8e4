/**
 * Deterministic stratified train/test split by a fixed rule, no randomness:
 * within each class, counting that class's images in canonical order from 0, the image
 * with per-class rank r goes to the test split when r % testEvery === testEvery - 1
 * (so every `testEvery`-th image of each class), all others go to train.
 * With testEvery = 7 that is 1/7 ≈ 14.3 % test per class, ≈ 85/15 overall.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  numClasses: number,
  testEvery = 7,
): { trainIndices: Int32Array; testIndices: Int32Array } {
  if (!Number.isInteger(testEvery) || testEvery < 2) {
    throw new Error(`testEvery must be an integer ≥ 2, got ${testEvery}`);
  }
  const rank = new Int32Array(numClasses);
  const isTest = new Uint8Array(labels.length);
  let testCount = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= numClasses) {
      throw new Error(`label ${y} of image ${i} outside 0..${numClasses - 1}`);
    }
    if (rank[y] % testEvery === testEvery - 1) {
      isTest[i] = 1;
      testCount++;
    }
    rank[y]++;
  }
  const trainIndices = new Int32Array(labels.length - testCount);
  const testIndices = new Int32Array(testCount);
  let tr = 0;
  let te = 0;
  for (let i = 0; i < labels.length; i++) {
    if (isTest[i]) testIndices[te++] = i;
    else trainIndices[tr++] = i;
  }
  return { trainIndices, testIndices };
}
