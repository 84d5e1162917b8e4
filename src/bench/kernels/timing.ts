/** Timing helpers on performance.now() (available in Node, pages and Workers). */

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `run` for at least `ms` milliseconds and at least `minRuns` times (JIT tiers, caches). */
export function warmUp(run: () => void, ms: number, minRuns = 2): void {
  const start = performance.now();
  for (let count = 0; count < minRuns || performance.now() - start < ms; count++) run();
}

/**
 * Runs per sample so that one sample lasts ≥ minSampleMs: doubles a batch until it is that
 * long. Counting runs instead of timing one run keeps this right under coarse browser
 * timers (100 µs without cross-origin isolation).
 */
export function calibrateReps(run: () => void, minSampleMs: number, maxReps = 1 << 16): number {
  let reps = 1;
  for (;;) {
    const t = performance.now();
    for (let r = 0; r < reps; r++) run();
    const elapsed = performance.now() - t;
    if (elapsed >= minSampleMs || reps >= maxReps) return reps;
    // Jump close to the target when the batch was measurable, else double.
    reps = elapsed > minSampleMs / 8 ? Math.ceil((reps * minSampleMs * 1.1) / elapsed) : reps * 2;
  }
}

/** One sample: mean time of `reps` back-to-back runs, milliseconds. */
export function sample(run: () => void, reps: number): number {
  const t = performance.now();
  for (let r = 0; r < reps; r++) run();
  return (performance.now() - t) / reps;
}

/** Yields to the event loop so a Worker can post progress and a page stays responsive. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
