import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { downsample, downsampleXY } from './downsample';

interface P {
  x: number;
  y: number;
}
const series = (ys: number[]): P[] => ys.map((y, x) => ({ x, y }));

/** The output is a subsequence of the input: same objects, strictly increasing positions. */
function positions<T>(input: readonly T[], output: readonly T[]): number[] {
  const at = new Map(input.map((d, i) => [d, i]));
  return output.map((d) => at.get(d) ?? -1);
}

describe('downsample', () => {
  it('returns short histories unchanged', () => {
    const s = series([3, 1, 2]);
    expect(downsample(s, 3, 'y')).toBe(s);
    expect(downsampleXY(s, 100)).toBe(s);
    expect(downsample([], 10, 'y')).toEqual([]);
  });

  it('keeps first, last and per bucket min and max, by hand', () => {
    // 10 points, 6 allowed: first, last, and 2 buckets over the 8 interior points [1..4] and [5..8]
    const s = series([5, 2, 9, 4, 7, 1, 8, 6, 3, 0]);
    const out = downsample(s, 6, 'y');
    expect(out.map((p) => p.x)).toEqual([0, 1, 2, 5, 6, 9]);
  });

  it('always keeps the first, the last, the global min and max, within maxPoints and in x order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 500 }),
        fc.integer({ min: 4, max: 120 }),
        (ys, maxPoints) => {
          const s = series(ys);
          const out = downsample(s, maxPoints, 'y');
          expect(out.length).toBeLessThanOrEqual(maxPoints);
          if (s.length === 0) return;
          const pos = positions(s, out);
          expect(pos[0]).toBe(0);
          expect(pos.at(-1)).toBe(s.length - 1);
          for (let i = 1; i < pos.length; i++) expect(pos[i]).toBeGreaterThan(pos[i - 1]);
          const ysOut = out.map((p) => p.y);
          expect(Math.min(...ysOut)).toBe(Math.min(...ys));
          expect(Math.max(...ysOut)).toBe(Math.max(...ys));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('uses at least 2 + 2k points for k series', () => {
    const s = series([0, 9, 1, 8, 2, 7]);
    expect(downsample(s, 1, 'y').map((p) => p.x)).toEqual([0, 1, 2, 5]);
  });

  it('keeps the extremes of every series given by keys or functions', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      step: i + 1,
      a: Math.sin(i / 7),
      b: i === 613 ? 50 : i === 200 ? -50 : Math.cos(i / 3),
    }));
    const out = downsample(rows, 40, ['a', (r: (typeof rows)[number]) => r.b]);
    expect(out.length).toBeLessThanOrEqual(40);
    expect(out.map((r) => r.step)).toContain(614);
    expect(out.map((r) => r.step)).toContain(201);
    expect(Math.max(...out.map((r) => r.a))).toBe(Math.max(...rows.map((r) => r.a)));
    expect(Math.min(...out.map((r) => r.a))).toBe(Math.min(...rows.map((r) => r.a)));
    expect(out[0]).toBe(rows[0]);
    expect(out.at(-1)).toBe(rows.at(-1));
  });

  it('never picks non-finite or missing values as extremes', () => {
    const rows = [{ y: 1 }, { y: NaN }, { y: Infinity }, { y: null }, { y: -Infinity }, { y: 3 }, { y: 2 }, { y: 5 }];
    const out = downsample(rows, 4, 'y');
    expect(out).toEqual([{ y: 1 }, { y: 3 }, { y: 2 }, { y: 5 }]);
  });
});
