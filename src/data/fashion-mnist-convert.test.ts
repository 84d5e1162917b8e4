import { describe, expect, it } from 'vitest';
import { buildFashionDataset, parseFashionClass } from './fashion-mnist-convert';

/** A distinct 784-byte image per (class, i), unless `copyOf` says which image it repeats. */
function image(c: number, i: number): number[] {
  return Array.from({ length: 784 }, (_, p) => (p === 0 ? c : p === 1 ? i % 256 : p === 2 ? i >> 8 : 0));
}

describe('parseFashionClass', () => {
  it('skips empty entries and keeps the others in order', () => {
    const r = parseFashionClass({ data: [image(0, 0), [], image(0, 1)] }, 0);
    expect(r.skippedEmpty).toBe(1);
    expect(r.images.map((im) => im[1])).toEqual([0, 1]);
  });

  it.each<[string, unknown, RegExp]>([
    ['no data array', { pixels: [] }, /expected \{"data": \[images\]\}/],
    ['an entry that is not an array', { data: [5] }, /entry 0 is not an array/],
    ['a short entry', { data: [[1, 2, 3]] }, /entry 0 has 3 values, expected 784/],
    ['a value above 255', { data: [[...image(0, 0).slice(0, 783), 256]] }, /entry 0 value 783 is 256, expected an integer 0\.\.255/],
    ['a fractional value', { data: [[0.5, ...image(0, 0).slice(1)]] }, /value 0 is 0\.5/],
    ['a string value', { data: [['1', ...image(0, 0).slice(1)]] }, /value 0 is "1"/],
  ])('rejects %s with a clear message', (_, json, message) => {
    expect(() => parseFashionClass(json, 3)).toThrow(message);
  });
});

describe('buildFashionDataset split', () => {
  const perClass = (n: number) => Array.from({ length: 10 }, (_, c) => Array.from({ length: n }, (_, i) => Uint8Array.from(image(c, i))));

  it('sends per-class ranks 6, 13, … to test: stratified, disjoint, train first', () => {
    const { contents } = buildFashionDataset(perClass(14), 14);
    expect(contents.trainCount).toBe(120);
    expect(contents.labels.length).toBe(140);
    // test images: class c ranks 6 and 13, in class order
    const testIds = Array.from({ length: 20 }, (_, k) => {
      const at = (120 + k) * 784;
      return [contents.pixels[at], contents.pixels[at + 1]];
    });
    expect(testIds).toEqual(Array.from({ length: 10 }, (_, c) => [[c, 6], [c, 13]]).flat());
    expect(Array.from(contents.labels.subarray(120))).toEqual(Array.from({ length: 10 }, (_, c) => [c, c]).flat());
  });

  it('never puts an image with an exact copy into test: its slot passes to the next image of the class', () => {
    const classes = perClass(14);
    classes[3][6] = classes[5][0]; // a copy across classes at a test rank
    classes[4][6] = Uint8Array.from(image(4, 2)); // a copy within class 4 at a test rank
    const { contents, report } = buildFashionDataset(classes, 14);
    expect(report).toEqual({ duplicatedImages: 4, conflictingGroups: 1 });
    const key = (at: number) => Array.from(contents.pixels.subarray(at * 784, at * 784 + 784)).join(',');
    const train = new Set(Array.from({ length: contents.trainCount }, (_, i) => key(i)));
    for (let i = contents.trainCount; i < contents.labels.length; i++) expect(train.has(key(i))).toBe(false);
    // each class still has exactly two test images; class 3's first is its rank 7
    for (let c = 0; c < 10; c++) expect(Array.from(contents.labels.subarray(120)).filter((y) => y === c)).toHaveLength(2);
    expect(contents.pixels[(120 + 6) * 784 + 1]).toBe(7);
  });

  it('rejects a wrong number of classes or images per class', () => {
    expect(() => buildFashionDataset(perClass(14).slice(0, 9), 14)).toThrow(/9 classes, expected 10/);
    expect(() => buildFashionDataset(perClass(13), 14)).toThrow(/class 0: 13 images, expected 14/);
  });
});
