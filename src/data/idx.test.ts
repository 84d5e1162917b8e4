import { describe, expect, it } from 'vitest';
import { encodeIdx, parseIdx, parseIdxPair } from './idx';

/** A 2×3 image file and its labels, written byte by byte (big-endian dims). */
const images = Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
const labels = Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 2, 7, 3]);

describe('IDX files', () => {
  it('reads the header by hand: two images of 2×3 and their labels', () => {
    const r = parseIdx(images, 'x', 3);
    expect(r.dims).toEqual([2, 2, 3]);
    expect(Array.from(r.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    const pair = parseIdxPair(images, labels, 'tiny');
    expect([pair.count, pair.rows, pair.cols]).toEqual([2, 2, 3]);
    expect(Array.from(pair.labels)).toEqual([7, 3]);
    expect(encodeIdx([2, 2, 3], r.data)).toEqual(images);
  });

  it.each<[string, Uint8Array, RegExp]>([
    ['too short for the magic', images.subarray(0, 3), /shorter than the 4-byte IDX magic/],
    ['nonzero first bytes', Uint8Array.from([1, ...images.subarray(1)]), /not an IDX file/],
    ['not unsigned bytes', Uint8Array.from([0, 0, 0x0d, ...images.subarray(3)]), /data type 0xd unsupported/],
    ['wrong rank', labels, /rank 1, expected 3/],
    ['header cut', images.subarray(0, 10), /shorter than its 16-byte header/],
    ['truncated data', images.subarray(0, images.length - 1), /27 bytes, expected 28 .*truncated/],
    ['trailing bytes', Uint8Array.from([...images, 0]), /29 bytes, expected 28/],
    ['zero dimension', Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 3]), /dimension 0 is 0/],
  ])('rejects %s with a clear message', (_, bytes, message) => {
    expect(() => parseIdx(bytes, 'file', 3)).toThrow(message);
  });

  it('rejects labels that do not match the images', () => {
    expect(() => parseIdxPair(images, encodeIdx([3], Uint8Array.from([1, 2, 3])), 'tiny')).toThrow(/3 labels for 2 images/);
    expect(() => parseIdxPair(images, encodeIdx([2], Uint8Array.from([1, 10])), 'tiny')).toThrow(/label 10 of image 1 is not below 10/);
  });
});
