import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MNIST_CLASS_NAMES, loadMnistFromBytes } from './mnist';
import { buildMnistBin, loadMnistSmallNode, mnistDigitFiles } from './mnist-node';

const tmp = mkdtempSync(join(tmpdir(), 'mnist-bin-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const outFile = join(tmp, 'nested', 'mnist.bin');
// Built once here; every test below reads this file.
const first = buildMnistBin(outFile);
const fileBytes = new Uint8Array(readFileSync(outFile));

/** Reads the header by hand, independently of the decoder. */
function headerOf(bytes: Uint8Array) {
  const u32 = (o: number) => bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16) | (bytes[o + 3] * 2 ** 24);
  return { count: u32(8), rows: u32(12), cols: u32(16) };
}

describe('buildMnistBin', () => {
  it('writes 10,000 digits, 20 + 10,000 + 7,840,000 bytes', () => {
    expect(first.built).toBe(true);
    expect(first.count).toBe(10000);
    expect(statSync(outFile).size).toBe(7_850_020);
    expect(headerOf(fileBytes)).toEqual({ count: 10000, rows: 28, cols: 28 });
  });

  it('skips an up-to-date file, rebuilds a stale one or when forced', () => {
    const again = buildMnistBin(outFile);
    expect(again.built).toBe(false);
    expect(again.count).toBe(10000);
    const oldTime = statSync(mnistDigitFiles()[0]).mtimeMs / 1000 - 3600;
    utimesSync(outFile, oldTime, oldTime);
    expect(buildMnistBin(outFile).built).toBe(true);
    expect(buildMnistBin(outFile, true).built).toBe(true);
    // Byte comparison outside expect's deep equality, which is slow on 7.8 MB.
    expect(Buffer.compare(readFileSync(outFile), fileBytes)).toBe(0);
  });
});

describe('MNIST dataset', () => {
  const ds = loadMnistFromBytes(fileBytes);
  const { count } = headerOf(fileBytes);
  const labels = fileBytes.subarray(20, 20 + count);
  const pixels = fileBytes.subarray(20 + count);

  it('has the MNIST shape and classes', () => {
    expect([ds.name, ds.height, ds.width, ds.channels, ds.numClasses, ds.size]).toEqual(['mnist-small', 28, 28, 1, 10, 10000]);
    expect(ds.classNames).toEqual(MNIST_CLASS_NAMES);
  });

  it('splits each class 6:1 (every 7th image to test), disjoint and complete', () => {
    const seen = new Uint8Array(count);
    for (const i of ds.trainIndices) seen[i]++;
    for (const i of ds.testIndices) seen[i]++;
    expect(seen.every((v) => v === 1)).toBe(true);
    for (let digit = 0; digit < 10; digit++) {
      const ofClass: number[] = [];
      labels.forEach((y, i) => y === digit && ofClass.push(i));
      const expectedTest = ofClass.filter((_, rank) => rank % 7 === 6);
      expect(Array.from(ds.testIndices).filter((i) => labels[i] === digit)).toEqual(expectedTest);
    }
    expect(ds.testIndices.length / count).toBeGreaterThan(0.14);
    expect(ds.testIndices.length / count).toBeLessThan(0.145);
  });

  it('normalises with the mean and std of the train pixels', () => {
    let sum = 0;
    let sumSq = 0;
    for (const i of ds.trainIndices) {
      for (let p = i * 784; p < (i + 1) * 784; p++) {
        const x = pixels[p] / 255;
        sum += x;
        sumSq += x * x;
      }
    }
    const n = ds.trainIndices.length * 784;
    const mean = sum / n;
    const std = Math.sqrt(sumSq / n - mean * mean);
    expect(ds.mean[0]).toBeCloseTo(mean, 6);
    expect(ds.std[0]).toBeCloseTo(std, 6);
    // Plausible MNIST statistics (the well-known 0.13 / 0.31 of the full set).
    expect(mean).toBeGreaterThan(0.1);
    expect(mean).toBeLessThan(0.16);

    const index = ds.testIndices[5];
    const out = new Float32Array(784);
    const y = new Int32Array(1);
    ds.fillBatch([index], out, y);
    expect(y[0]).toBe(labels[index]);
    for (const p of [0, 300, 400, 783]) {
      expect(out[p]).toBeCloseTo((pixels[index * 784 + p] / 255 - mean) / std, 4);
    }
  });

  it('loadMnistSmallNode reads a given file', () => {
    const fromNode = loadMnistSmallNode(outFile);
    expect(fromNode.size).toBe(10000);
    expect(fromNode.rawImage(1234)).toEqual(pixels.slice(1234 * 784, 1235 * 784));
  });
});
