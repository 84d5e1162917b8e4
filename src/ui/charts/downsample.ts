/**
 * Downsampling of long metric histories for charts. Keeps the shape a reader cares about: the
 * first and last point, and in every bucket of consecutive points the lowest and highest value of
 * each series, so spikes and the global extremes survive. Output is a subsequence of the input in
 * its original (x) order. Pure data code: no React, no DOM.
 */

/** How to read a series' value from a point: a property name or a function. */
export type YAccessor<T> = keyof T | ((d: T) => number | null | undefined);

/**
 * At most `maxPoints` points of `data` (assumed in x order): the first, the last, and per bucket
 * the min and max of every series in `y` (non-finite values are never picked). Returns `data`
 * itself when it is short enough. With k series `maxPoints` is raised to at least 2 + 2k, the
 * smallest output that still holds every series' extremes.
 */
export function downsample<T>(data: readonly T[], maxPoints: number, y: YAccessor<T> | readonly YAccessor<T>[]): readonly T[] {
  const readers = (Array.isArray(y) ? y : [y]).map(reader);
  const limit = Math.max(Math.floor(maxPoints), 2 + 2 * readers.length);
  const n = data.length;
  if (n <= limit) return data;
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const interior = n - 2;
  const buckets = Math.floor((limit - 2) / (2 * readers.length));
  for (let b = 0; b < buckets; b++) {
    const start = 1 + Math.floor((b * interior) / buckets);
    const end = 1 + Math.floor(((b + 1) * interior) / buckets);
    for (const read of readers) {
      let lo = -1;
      let hi = -1;
      let loV = Infinity;
      let hiV = -Infinity;
      for (let i = start; i < end; i++) {
        const v = read(data[i]);
        if (typeof v !== 'number' || !Number.isFinite(v)) continue;
        if (v < loV) [lo, loV] = [i, v];
        if (v > hiV) [hi, hiV] = [i, v];
      }
      if (lo >= 0) keep[lo] = 1;
      if (hi >= 0) keep[hi] = 1;
    }
  }
  const out: T[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(data[i]);
  return out;
}

/** downsample for plain {x, y} points. */
export function downsampleXY<P extends { x: number; y: number | null }>(points: readonly P[], maxPoints: number): readonly P[] {
  return downsample(points, maxPoints, 'y');
}

function reader<T>(y: YAccessor<T>): (d: T) => unknown {
  return typeof y === 'function' ? y : (d: T) => d[y];
}
