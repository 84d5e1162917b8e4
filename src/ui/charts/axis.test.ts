import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatTick, logAxis, niceStep, rangeAxis, valueAxis } from './axis';

describe('valueAxis', () => {
  it('shows an entropy of 0.9990–1.0000 as its own range, not flat at the top of 0–1', () => {
    const axis = valueAxis([0.999, 0.9995, 1], { min: 0, max: 1 })!;
    expect(axis.domain[0]).toBeGreaterThan(0.998);
    expect(axis.domain[1]).toBe(1);
    const labels = axis.ticks.map((t) => formatTick(t, axis.step));
    expect(labels).toContain('1.0000');
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels.every((l) => /^0\.99\d\d$|^1\.0000$/.test(l))).toBe(true);
  });

  it('keeps percentages within 0–100 and pads a constant series', () => {
    expect(valueAxis([97, 100], { min: 0, max: 100 })!.domain[1]).toBe(100);
    const flat = valueAxis([0.5, 0.5, 0.5])!;
    expect(flat.domain[0]).toBeLessThan(0.5);
    expect(flat.domain[1]).toBeGreaterThan(0.5);
    expect(valueAxis([NaN, null, undefined, Infinity])).toBeNull();
  });

  it('gives distinct, readable labels whatever the data (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e7, max: 1e7, noNaN: true }), { minLength: 1, maxLength: 30 }), (values) => {
        const axis = valueAxis(values)!;
        const labels = axis.ticks.map((t) => formatTick(t, axis.step));
        expect(new Set(labels).size).toBe(labels.length);
        expect(axis.domain[0]).toBeLessThanOrEqual(Math.min(...values));
        expect(axis.domain[1]).toBeGreaterThanOrEqual(Math.max(...values));
        expect(axis.ticks.length).toBeGreaterThanOrEqual(2);
        expect(axis.ticks.length).toBeLessThanOrEqual(12);
      }),
      { numRuns: 300 },
    );
  });
});

describe('formatTick', () => {
  it('does not round 1.5e-3 to 2e-3 or repeat a label', () => {
    const axis = valueAxis([0.001, 0.002])!;
    const labels = axis.ticks.map((t) => formatTick(t, axis.step));
    expect(labels).toContain('1.5e-3');
    expect(new Set(labels).size).toBe(labels.length);
    expect(formatTick(0.0015, 0.0005)).toBe('1.5e-3');
    expect(formatTick(0.002, 0.0005)).toBe('2.0e-3');
  });

  it('writes ordinary numbers with the decimals of their step', () => {
    expect(formatTick(250, 50)).toBe('250');
    expect(formatTick(0.25, 0.05)).toBe('0.25');
    expect(formatTick(0, 0.1)).toBe('0');
    expect(formatTick(2_000_000, 500_000)).toBe('2.0e6');
  });
});

describe('niceStep and logAxis', () => {
  it('steps by 1, 2 or 5 × 10^k', () => {
    expect(niceStep(1, 5)).toBe(0.2);
    expect(niceStep(0.001, 5)).toBeCloseTo(0.0002, 12);
    expect(niceStep(70, 5)).toBe(20);
    expect(niceStep(0)).toBe(1);
  });

  it('covers positive values with powers of ten', () => {
    const axis = logAxis([0.1, 3, 10, -1, 0])!;
    expect(axis.ticks).toEqual([0.1, 1, 10]);
    expect(axis.ticks.map((t) => formatTick(t, 0))).toEqual(['0.1', '1', '10']);
    expect(logAxis([0, -2])).toBeNull();
  });
});

describe('rangeAxis', () => {
  it('spans the data exactly with round ticks inside it', () => {
    expect(rangeAxis([40, 90, 240])).toEqual({ domain: [40, 240], ticks: [50, 100, 150, 200], step: 50 });
    expect(rangeAxis([1, 240])!.ticks).toEqual([50, 100, 150, 200]);
    expect(rangeAxis([0, 0.128])!.ticks.map((t) => formatTick(t, rangeAxis([0, 0.128])!.step))).toEqual(['0', '0.05', '0.10']);
    expect(rangeAxis([7, 7])).toMatchObject({ domain: [7, 7], ticks: [7] });
    expect(rangeAxis([])).toBeNull();
  });
});
