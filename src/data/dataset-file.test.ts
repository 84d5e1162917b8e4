import { describe, expect, it } from 'vitest';
import { decodeDatasetFile, encodeDatasetFile, type DatasetFileContents } from './dataset-file';
import { datasetFromFile } from './dataset-from-file';

const contents: DatasetFileContents = {
  height: 2,
  width: 2,
  channels: 1,
  trainCount: 2,
  classNames: ['a', 'b'],
  labels: Uint8Array.from([0, 1, 1]),
  pixels: Uint8Array.from([0, 255, 0, 255, 10, 20, 30, 40, 255, 255, 255, 255]),
};

describe('dataset file', () => {
  const bytes = encodeDatasetFile(contents);

  it('has the documented layout, read by hand', () => {
    const u32 = (o: number) => new DataView(bytes.buffer).getUint32(o, true);
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe('BNND');
    expect([u32(4), u32(8), u32(12), u32(16), u32(20), u32(24)]).toEqual([1, 3, 2, 2, 1, 2]);
    const names = '["a","b"]';
    expect(u32(28)).toBe(names.length);
    expect(new TextDecoder().decode(bytes.subarray(32, 32 + names.length))).toBe(names);
    expect(Array.from(bytes.subarray(32 + names.length, 35 + names.length))).toEqual([0, 1, 1]);
    expect(bytes.length).toBe(32 + names.length + 3 + 12);
  });

  it('round-trips, and the dataset splits at trainCount', () => {
    const d = decodeDatasetFile(bytes);
    expect({ ...d, labels: Array.from(d.labels), pixels: Array.from(d.pixels) }).toEqual({
      ...contents,
      labels: Array.from(contents.labels),
      pixels: Array.from(contents.pixels),
    });
    const ds = datasetFromFile('tiny', bytes);
    expect(Array.from(ds.trainIndices)).toEqual([0, 1]);
    expect(Array.from(ds.testIndices)).toEqual([2]);
    expect(ds.classNames).toEqual(['a', 'b']);
    expect(Array.from(ds.rawImage(1))).toEqual([10, 20, 30, 40]);
  });

  const tamper = (f: (b: Uint8Array, v: DataView) => void): Uint8Array => {
    const b = bytes.slice();
    f(b, new DataView(b.buffer));
    return b;
  };
  it.each<[string, Uint8Array, RegExp]>([
    ['short', bytes.subarray(0, 31), /shorter than the 32-byte header/],
    ['bad magic', tamper((b) => (b[0] = 0x58)), /bad magic "XNND"/],
    ['other version', tamper((_, v) => v.setUint32(4, 2, true)), /version 2 unsupported/],
    ['truncated', bytes.subarray(0, bytes.length - 1), /truncated or corrupt/],
    ['trailing byte', Uint8Array.from([...bytes, 0]), /expected \d+ for 3 images/],
    ['train count above count', tamper((_, v) => v.setUint32(24, 4, true)), /train count 4 exceeds the 3 images/],
    ['label out of range', tamper((b) => (b[32 + 9 + 2] = 2)), /label 2 of image 2 is not below the 2 classes/],
    ['names not JSON', tamper((b) => (b[32] = 0x7b)), /class names are not valid UTF-8 JSON/],
    ['zero height', tamper((_, v) => v.setUint32(12, 0, true)), /empty sizes/],
  ])('rejects %s with a clear message', (_, b, message) => {
    expect(() => decodeDatasetFile(b)).toThrow(message);
  });
});
