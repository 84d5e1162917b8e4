import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { float32Text } from './float32-text';

describe('float32Text', () => {
  it('reads back as the same float32, with at most 9 significant digits', () => {
    const rng = seedrandom.alea('f32');
    const values = [0, -0, 1, -1, 0.1, 1e-30, 3.4028234663852886e38, 1.401298464324817e-45, 2.5];
    for (let i = 0; i < 2000; i++) values.push(Math.fround((rng() - 0.5) * 10 ** Math.floor(rng() * 20 - 10)));
    for (const v of values) {
      const text = float32Text(v);
      expect(Math.fround(Number(text))).toBe(Math.fround(v));
      expect(text.replace(/^-|e.*$|\./g, '').replace(/^0+/, '').length).toBeLessThanOrEqual(9);
    }
  });

  it('is the short spelling, not the float64 one', () => {
    expect(float32Text(Math.fround(0.1))).toBe('0.1');
    expect(float32Text(Math.fround(-2.7182817))).toBe('-2.7182817');
    expect(float32Text(Math.fround(1e-7))).toBe('1e-7');
  });

  it('refuses a non-finite value', () => {
    expect(() => float32Text(NaN)).toThrow(/not finite/);
  });
});
