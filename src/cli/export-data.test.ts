import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMnistSmallNode } from '../data/mnist-node';
import { readDataFile } from '../io/data-file';
import { readSafetensors } from '../io/safetensors';
import type { CliIO } from './args';
import { main } from './export-data';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'bnn-export-data-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function io(): CliIO & { out: string; err: string } {
  const c = { out: '', err: '', isTTY: false, stdout: (t: string) => void (c.out += t), stderr: (t: string) => void (c.err += t) };
  return c;
}

describe('npm run export-data', () => {
  it('writes the test split: raw uint8 NHWC images, labels and canonical indices, in the order the app evaluates', () => {
    const out = join(tmp, 'sub', 'mnist-small-test.safetensors');
    const c = io();
    expect(main(['--dataset', 'mnist-small', '--split', 'test', '--out', out], c)).toBe(0);
    expect(c.out).toMatch(/wrote 1424 mnist-small test images \(28×28×1\) to .*mnist-small-test\.safetensors/);
    const bytes = readFileSync(out);
    const raw = readSafetensors(bytes);
    expect([...raw.tensors.keys()].sort()).toEqual(['images', 'indices', 'labels']);
    expect(raw.tensors.get('images')!.shape).toEqual([1424, 28, 28, 1]);
    expect(raw.metadata.format).toBe('bnn-playground-data');

    const file = readDataFile(bytes);
    const mnist = loadMnistSmallNode();
    expect(file.split).toBe('test');
    expect(file.dataset).toEqual({ name: 'mnist-small', inputShape: [28, 28, 1], classNames: [...mnist.classNames], mean: Array.from(mnist.mean), std: Array.from(mnist.std) });
    expect(Array.from(file.indices)).toEqual(Array.from(mnist.testIndices));
    expect(Array.from(file.labels)).toEqual(Array.from(mnist.testIndices, (i) => mnist.label(i)));
    for (const i of [0, 1, 700, 1423]) expect(file.images.subarray(i * 784, (i + 1) * 784)).toEqual(mnist.rawImage(mnist.testIndices[i]));
  });

  it('writes the train split on request', () => {
    const out = join(tmp, 'train.safetensors');
    expect(main(['--dataset', 'mnist-small', '--split', 'train', '--out', out], io())).toBe(0);
    const file = readDataFile(readFileSync(out));
    expect(file.split).toBe('train');
    expect(file.indices.length).toBe(8576);
    expect(file.images.length).toBe(8576 * 784);
  });

  it.each<[string, string[], RegExp]>([
    ['no dataset', ['--out', 'x.safetensors'], /--dataset NAME is required/],
    ['no output', ['--dataset', 'mnist'], /--out FILE is required/],
    ['CIFAR-10 (uploaded in the app only)', ['--dataset', 'cifar10', '--out', 'x'], /--dataset must be one of mnist, fashion-mnist, mnist-small, shapes/],
    ['unknown split', ['--dataset', 'mnist', '--split', 'validation', '--out', 'x'], /--split must be one of test, train/],
  ])('%s: usage and exit code 2', (_, argv, message) => {
    const c = io();
    expect(main(argv, c)).toBe(2);
    expect(c.err).toMatch(message);
    expect(c.err).toContain('Usage: npm run export-data');
  });
});
