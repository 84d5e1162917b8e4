import { describe, expect, it } from 'vitest';
import { augmentBatch, cropFlipImage } from './augment';

/** 3×4 image with 2 channels: value = 100·(y+1) + 10·(x+1) + ch, never 0. */
function handImage(): Float32Array {
  const img = new Float32Array(3 * 4 * 2);
  for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) for (let ch = 0; ch < 2; ch++) img[(y * 4 + x) * 2 + ch] = 100 * (y + 1) + 10 * (x + 1) + ch;
  return img;
}

function at(img: Float32Array, y: number, x: number, ch: number): number {
  return img[(y * 4 + x) * 2 + ch];
}

describe('cropFlipImage', () => {
  it('is the identity with no offset and no flip', () => {
    const out = new Float32Array(24);
    cropFlipImage(handImage(), 0, out, 0, 3, 4, 2, { dy: 0, dx: 0, flip: false });
    expect(out).toEqual(handImage());
  });

  it('flip mirrors the columns and keeps channel order', () => {
    const out = new Float32Array(24);
    cropFlipImage(handImage(), 0, out, 0, 3, 4, 2, { dy: 0, dx: 0, flip: true });
    // Row 0 reversed: x = 4, 3, 2, 1 (plus channel 0/1).
    expect(Array.from(out.subarray(0, 8))).toEqual([140, 141, 130, 131, 120, 121, 110, 111]);
    expect(at(out, 2, 0, 1)).toBe(341);
  });

  it('crop with an offset shifts the image and fills with zeros', () => {
    const out = new Float32Array(24).fill(-7);
    cropFlipImage(handImage(), 0, out, 0, 3, 4, 2, { dy: 1, dx: -2, flip: false });
    // Output (y, x) = input (y+1, x-2): rows 0..1 come from input rows 1..2; row 2 is padding;
    // columns 0..1 are padding, columns 2..3 come from input columns 0..1.
    // prettier-ignore
    const expected = [
      0, 0, 0, 0, 210, 211, 220, 221,
      0, 0, 0, 0, 310, 311, 320, 321,
      0, 0, 0, 0, 0, 0, 0, 0,
    ];
    expect(Array.from(out)).toEqual(expected);
  });

  it('flips before shifting: out(y, x) = in(y + dy, w-1-x + dx)', () => {
    const out = new Float32Array(24);
    cropFlipImage(handImage(), 0, out, 0, 3, 4, 2, { dy: -1, dx: 1, flip: true });
    expect(Array.from(out.subarray(0, 8))).toEqual(new Array(8).fill(0));
    // Row 1 reads input row 0, columns 4,3,2,1 (1-based) shifted by +1 -> 5(out),4,3,2.
    expect(Array.from(out.subarray(8, 16))).toEqual([0, 0, 140, 141, 130, 131, 120, 121]);
  });
});

describe('augmentBatch', () => {
  /** A scripted rng returning the given values in order. */
  function scripted(values: number[]): () => number {
    let i = 0;
    return () => values[i++];
  }

  it('draws dy, dx, flip per image from the rng', () => {
    const input = new Float32Array(48);
    input.set(handImage(), 0);
    input.set(handImage(), 24);
    const out = new Float32Array(48);
    // pad 2 -> offset = floor(r·5) - 2. Image 0: dy 0, dx 0, no flip. Image 1: dy +2, dx -2, flip.
    augmentBatch(input, out, 2, 3, 4, 2, scripted([0.5, 0.5, 0.9, 0.99, 0.0, 0.1]), { pad: 2 });
    expect(out.subarray(0, 24)).toEqual(handImage());
    const second = new Float32Array(24);
    // Input row 2, columns w-1-x-2 for x = 0..3 -> 1, 0, out, out.
    second.set([320, 321, 310, 311, 0, 0, 0, 0], 0);
    expect(out.subarray(24, 48)).toEqual(second);
  });

  it('is reproducible for the same rng sequence and keeps offsets within the padding', () => {
    const input = new Float32Array(24 * 5);
    for (let i = 0; i < 5; i++) input.set(handImage(), i * 24);
    let s = 1;
    const lcg = () => ((s = (s * 16807) % 2147483647) - 1) / 2147483646;
    const a = new Float32Array(input.length);
    augmentBatch(input, a, 5, 3, 4, 2, lcg, { pad: 1, flip: false });
    s = 1;
    const b = new Float32Array(input.length);
    augmentBatch(input, b, 5, 3, 4, 2, lcg, { pad: 1, flip: false });
    expect(a).toEqual(b);
    // With pad 1 and no flip, the centre pixel (1, 1..2) always comes from a real pixel.
    for (let i = 0; i < 5; i++) expect(a[i * 24 + (1 * 4 + 1) * 2]).toBeGreaterThan(0);
  });

  it('rejects aliasing and short buffers', () => {
    const buf = new Float32Array(24);
    expect(() => augmentBatch(buf, buf, 1, 3, 4, 2, Math.random)).toThrow(/different buffers/);
    expect(() => augmentBatch(buf, new Float32Array(10), 1, 3, 4, 2, Math.random)).toThrow(RangeError);
  });
});
