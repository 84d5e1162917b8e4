/** Timing helpers on performance.now() (available in Node, pages and Workers). */

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `run` repeatedly for at least `ms` milliseconds (and at least twice); returns the last run's time. */
export function warmUp(run: () => void, ms: number): number {
  const start = performance.now();
  let last = 0;
  let count = 0;
  while (count < 2 || performance.now() - start < ms) {
    const t = performance.now();
    run();
    last = performance.now() - t;
    count++;
  }
  return last;
}

/** Runs per sample so that a sample lasts ≥ minSampleMs, given one run's time. */
export function repsForSample(runMs: number, minSampleMs: number): number {
  if (runMs >= minSampleMs) return 1;
  return Math.min(10_000, Math.ceil(minSampleMs / Math.max(runMs, 1e-3)));
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
