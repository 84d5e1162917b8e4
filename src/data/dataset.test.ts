import { describe, expect, it } from 'vitest';
import { channelStats, createBatchBuffers, datasetFromArrays } from './dataset';

/** Three 2×2 RGB images with hand-picked bytes. */
function tinyImages(): Uint8Array {
  // prettier-ignore
  return new Uint8Array([
    // image 0: pixels (r,g,b)
    0, 10, 255,   51, 10, 255,   102, 10, 255,   153, 10, 255,
    // image 1
    255, 20, 0,   204, 20, 0,    0, 20, 0,       51, 20, 0,
    // image 2 (test only: must not enter the statistics)
    7, 7, 7,      7, 7, 7,       7, 7, 7,        7, 7, 7,
  ]);
}

function make() {
  return datasetFromArrays({
    name: 'tiny',
    images: tinyImages(),
    labels: [1, 0, 1],
    h: 2,
    w: 2,
    c: 3,
    classNames: ['a', 'b'],
    trainIndices: Int32Array.from([0, 1]),
    testIndices: Int32Array.from([2]),
  });
}

describe('datasetFromArrays', () => {
  it('computes per-channel mean and population std over the train split only', () => {
    const ds = make();
    // Independent calculation: channel values of images 0 and 1 divided by 255.
    const r = [0, 51, 102, 153, 255, 204, 0, 51].map((v) => v / 255);
    const g = [10, 10, 10, 10, 20, 20, 20, 20].map((v) => v / 255);
    const b = [255, 255, 255, 255, 0, 0, 0, 0].map((v) => v / 255);
    for (const [ch, xs] of [r, g, b].entries()) {
      const m = xs.reduce((s, x) => s + x, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length);
      expect(ds.mean[ch]).toBeCloseTo(m, 6);
      expect(ds.std[ch]).toBeCloseTo(sd, 6);
    }
    expect(ds.std[1]).toBeCloseTo(5 / 255, 6);
    expect(ds.std[2]).toBeCloseTo(0.5, 6);
  });

  it('fills normalised NHWC batches and labels in the requested order', () => {
    const ds = make();
    const { images, labels } = createBatchBuffers(ds, 2);
    expect(images.length).toBe(24);
    ds.fillBatch([1, 0], images, labels);
    expect(Array.from(labels)).toEqual([0, 1]);
    // Image 1, pixel 0 (255, 20, 0), then image 0 at offset 12, pixel 3 (153, 10, 255).
    const bytes = [255, 20, 0];
    bytes.forEach((v, ch) => expect(images[ch]).toBeCloseTo((v / 255 - ds.mean[ch]) / ds.std[ch], 5));
    [153, 10, 255].forEach((v, ch) => expect(images[12 + 9 + ch]).toBeCloseTo((v / 255 - ds.mean[ch]) / ds.std[ch], 5));
    // Blue: mean 0.5, std 0.5 -> 255 maps to +1, 0 to -1.
    expect(images[2]).toBeCloseTo(-1, 6);
    expect(images[12 + 2]).toBeCloseTo(1, 6);
  });

  it('exposes shape, sizes, raw copies and labels', () => {
    const ds = make();
    expect([ds.height, ds.width, ds.channels, ds.numClasses, ds.size, ds.imageSize]).toEqual([2, 2, 3, 2, 3, 12]);
    const raw = ds.rawImage(2);
    expect(Array.from(raw)).toEqual(new Array(12).fill(7));
    raw[0] = 99;
    expect(ds.rawImage(2)[0]).toBe(7);
    expect([ds.label(0), ds.label(1), ds.label(2)]).toEqual([1, 0, 1]);
  });

  it('keeps a constant channel finite (std 0 normalises with 1)', () => {
    const ds = datasetFromArrays({
      name: 'flat',
      images: new Uint8Array([9, 9, 9, 9]),
      labels: [0, 0, 0, 0],
      h: 1,
      w: 1,
      c: 1,
      classNames: ['x'],
      trainIndices: Int32Array.from([0, 1, 2, 3]),
      testIndices: new Int32Array(0),
    });
    expect(ds.std[0]).toBe(0);
    const out = new Float32Array(1);
    ds.fillBatch([0], out, new Int32Array(1));
    expect(out[0]).toBeCloseTo(0, 6);
  });

  it('rejects inconsistent arrays, bad labels and out-of-range indices', () => {
    const base = {
      name: 'bad',
      images: tinyImages(),
      labels: [1, 0, 1],
      h: 2,
      w: 2,
      c: 3,
      classNames: ['a', 'b'],
      trainIndices: Int32Array.from([0, 1]),
      testIndices: Int32Array.from([2]),
    };
    expect(() => datasetFromArrays({ ...base, labels: [1, 0] })).toThrow(/2 labels for 3 images/);
    expect(() => datasetFromArrays({ ...base, labels: [1, 2, 0] })).toThrow(/label 2 of image 1/);
    expect(() => datasetFromArrays({ ...base, images: tinyImages().subarray(1) })).toThrow(/multiple of 12/);
    expect(() => datasetFromArrays({ ...base, testIndices: Int32Array.from([3]) })).toThrow(/test index 3/);
    const ds = make();
    expect(() => ds.fillBatch([3], new Float32Array(12), new Int32Array(1))).toThrow(RangeError);
    expect(() => ds.fillBatch([0, 1], new Float32Array(12), new Int32Array(2))).toThrow(/needs 24/);
    expect(() => ds.rawImage(-1)).toThrow(RangeError);
  });
});

describe('datasetFromArrays with on-demand images', () => {
  it('prepares the statistics sample up front and every other image on first read', () => {
    const images = new Uint8Array(4); // four 1×1 grey images, filled in by prepareImage
    const prepared: number[] = [];
    const ds = datasetFromArrays({
      name: 'lazy',
      images,
      labels: [0, 1, 0, 1],
      h: 1,
      w: 1,
      c: 1,
      classNames: ['a', 'b'],
      trainIndices: Int32Array.from([0, 1, 2]),
      testIndices: Int32Array.from([3]),
      statsIndices: [0, 1],
      prepareImage(index) {
        prepared.push(index);
        images[index] = [51, 153, 255, 0][index];
      },
    });
    expect(prepared).toEqual([0, 1]);
    // Statistics over images 0 and 1 only: values 0.2 and 0.6.
    expect(ds.mean[0]).toBeCloseTo(0.4, 6);
    expect(ds.std[0]).toBeCloseTo(0.2, 6);
    expect(ds.rawImage(2)[0]).toBe(255);
    const out = new Float32Array(1);
    ds.fillBatch([3], out, new Int32Array(1));
    expect(out[0]).toBeCloseTo((0 - 0.4) / 0.2, 5);
    expect(prepared).toEqual([0, 1, 2, 3]);
  });
});

describe('channelStats', () => {
  it('matches a direct two-pass computation on a pseudo-random image set', () => {
    const images = new Uint8Array(5 * 4 * 2);
    for (let i = 0; i < images.length; i++) images[i] = (i * 37 + 11) % 256;
    const { mean, std } = channelStats(images, 8, 2, [0, 2, 4]);
    for (let ch = 0; ch < 2; ch++) {
      const xs: number[] = [];
      for (const img of [0, 2, 4]) for (let p = ch; p < 8; p += 2) xs.push(images[img * 8 + p] / 255);
      const m = xs.reduce((s, x) => s + x, 0) / xs.length;
      const sd = Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length);
      expect(mean[ch]).toBeCloseTo(m, 6);
      expect(std[ch]).toBeCloseTo(sd, 6);
    }
  });
});
