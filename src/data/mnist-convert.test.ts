import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { convertMnistDigits } from './mnist-convert';
import { decodeMnistBin, encodeMnistBin } from './mnist-format';
import { mnistDigitFiles } from './mnist-node';

describe('convertMnistDigits', () => {
  it('writes the documented header, labels and rounded pixels for a hand-made input', () => {
    const bytes = convertMnistDigits([[0, 0.5, 1, 0.2], [1, 0.004, 0.996, 0.6, 0.1, 0.2, 0.3, 0.4]], 2, 2);
    const expected = [
      0x4d, 0x4e, 0x53, 0x54, // "MNST"
      1, 0, 0, 0, // version
      3, 0, 0, 0, // count
      2, 0, 0, 0, // rows
      2, 0, 0, 0, // cols
      0, 1, 1, // labels
      0, 128, 255, 51, // round(v·255) of class 0
      255, 1, 254, 153, 26, 51, 77, 102, // class 1, two images
    ];
    expect(Array.from(bytes)).toEqual(expected);
  });

  it('rejects arrays that are not whole images and values outside 0..1', () => {
    expect(() => convertMnistDigits([[0, 0, 0]], 2, 2)).toThrow(/multiple of 4/);
    expect(() => convertMnistDigits([[0, 0, 1.5, 0]], 2, 2)).toThrow(/outside 0..1/);
    expect(() => convertMnistDigits([[0, 0, Number.NaN, 0]], 2, 2)).toThrow(/outside 0..1/);
  });

  it('round-trips real digits of the mnist package exactly (class files 0..9 in file order)', () => {
    const perClass = mnistDigitFiles().map((f) => (JSON.parse(readFileSync(f, 'utf8')) as { data: number[] }).data);
    const decoded = decodeMnistBin(convertMnistDigits(perClass));
    expect(decoded.rows).toBe(28);
    expect(decoded.cols).toBe(28);
    const perClassCounts = perClass.map((d) => d.length / 784);
    expect(decoded.count).toBe(perClassCounts.reduce((a, b) => a + b, 0));
    expect(decoded.count).toBe(10000);

    // Check a first, a middle and a last digit of several classes at their canonical position.
    let classStart = 0;
    for (let digit = 0; digit < 10; digit++) {
      const n = perClassCounts[digit];
      for (const k of digit % 3 === 0 ? [0, Math.floor(n / 2), n - 1] : [n - 1]) {
        const canonical = classStart + k;
        expect(decoded.labels[canonical]).toBe(digit);
        const json = perClass[digit].slice(k * 784, (k + 1) * 784);
        const expectedBytes = json.map((v) => Math.round(v * 255));
        expect(Array.from(decoded.pixels.subarray(canonical * 784, (canonical + 1) * 784))).toEqual(expectedBytes);
        // Lossless: the package's 3-decimal floats come back from the byte.
        expect(expectedBytes.map((b) => Math.round((b / 255) * 1000) / 1000)).toEqual(json);
      }
      classStart += n;
    }
  });
});

describe('decodeMnistBin', () => {
  const valid = encodeMnistBin({
    count: 2,
    rows: 1,
    cols: 3,
    labels: new Uint8Array([4, 9]),
    pixels: new Uint8Array([1, 2, 3, 4, 5, 6]),
  });

  it('reads back what encode wrote, also from an ArrayBuffer', () => {
    const d = decodeMnistBin(valid.slice().buffer);
    expect([d.count, d.rows, d.cols]).toEqual([2, 1, 3]);
    expect(Array.from(d.labels)).toEqual([4, 9]);
    expect(Array.from(d.pixels)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects a bad magic, version, size or label with a clear message', () => {
    const badMagic = valid.slice();
    badMagic[0] = 0x50;
    expect(() => decodeMnistBin(badMagic)).toThrow(/bad magic "PNST"/);
    const badVersion = valid.slice();
    badVersion[4] = 7;
    expect(() => decodeMnistBin(badVersion)).toThrow(/version 7 unsupported/);
    expect(() => decodeMnistBin(valid.subarray(0, valid.length - 1))).toThrow(/truncated or corrupt/);
    expect(() => decodeMnistBin(valid.subarray(0, 10))).toThrow(/shorter than/);
    const badLabel = valid.slice();
    badLabel[20] = 10;
    expect(() => decodeMnistBin(badLabel)).toThrow(/label 10 of image 0/);
  });
});
