import seedrandom from 'seedrandom';

/**
 * Seeded epoch shuffling of the train split. Epoch e's order is a Fisher–Yates
 * permutation drawn from alea(`${seed}:epoch:${e}`), so the order depends only on
 * (seed, epoch): a run resumed at any step sees the same batches it would have seen.
 *
 * The last partial batch of an epoch is dropped: every batch has exactly `batchSize`
 * images (fixed tensor shapes), and since each epoch reshuffles, a different remainder
 * (< batchSize images) is left out each time.
 */
export function epochPermutation(indices: ArrayLike<number>, seed: string | number, epoch: number): Int32Array {
  const order = Int32Array.from(indices);
  const rng = seedrandom.alea(`${seed}:epoch:${epoch}`);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

export class ShuffledBatches {
  readonly batchSize: number;
  readonly batchesPerEpoch: number;
  private readonly indices: Int32Array;
  private readonly seed: string | number;
  private order: Int32Array | null = null;
  private orderEpoch = -1;
  private nextStep = 0;

  constructor(indices: Int32Array, batchSize: number, seed: string | number, startStep = 0) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a positive integer, got ${batchSize}`);
    if (indices.length < batchSize) {
      throw new Error(`batch size ${batchSize} is larger than the ${indices.length} images to draw from`);
    }
    this.indices = indices;
    this.batchSize = batchSize;
    this.seed = seed;
    this.batchesPerEpoch = Math.floor(indices.length / batchSize);
    this.nextStep = startStep;
  }

  /** Global step of the batch the next call to next() returns. */
  get step(): number {
    return this.nextStep;
  }

  /** Epoch (0-based) of the batch the next call to next() returns. */
  get epoch(): number {
    return Math.floor(this.nextStep / this.batchesPerEpoch);
  }

  /** Canonical indices of the batch at a global step: a view into that epoch's order, read only. */
  batchAt(step: number): Int32Array {
    const epoch = Math.floor(step / this.batchesPerEpoch);
    if (epoch !== this.orderEpoch || this.order === null) {
      this.order = epochPermutation(this.indices, this.seed, epoch);
      this.orderEpoch = epoch;
    }
    const start = (step % this.batchesPerEpoch) * this.batchSize;
    return this.order.subarray(start, start + this.batchSize);
  }

  /** The next batch of exactly batchSize indices; moves on to a fresh shuffle after each epoch. */
  next(): Int32Array {
    return this.batchAt(this.nextStep++);
  }
}

/**
 * The test split in order, in consecutive batches of `batchSize`; the last batch is
 * smaller when the count does not divide (evaluation covers every image once).
 * `limit` evaluates only the first `limit` indices.
 */
export function* fixedBatches(indices: Int32Array, batchSize: number, limit = indices.length): Generator<Int32Array> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a positive integer, got ${batchSize}`);
  const end = Math.min(limit, indices.length);
  for (let start = 0; start < end; start += batchSize) {
    yield indices.subarray(start, Math.min(start + batchSize, end));
  }
}
