import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importModel } from '../io/import';
import type { CliIO } from './args';
import { main } from './evaluate';

const FIXTURE = fileURLToPath(new URL('../io/fixtures/v1-irnet-mnist-small.safetensors', import.meta.url));
let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'bnn-evaluate-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function io(): CliIO & { out: string; err: string } {
  const c = { out: '', err: '', isTTY: false, stdout: (t: string) => void (c.out += t), stderr: (t: string) => void (c.err += t) };
  return c;
}

describe('npm run evaluate', () => {
  it('imports a file as the app does and measures it on the whole test split', async () => {
    const c = io();
    expect(await main(['--model', FIXTURE], c)).toBe(0);
    const stored = importModel(Uint8Array.from(readFileSync(FIXTURE))).testAccuracy!;
    expect(c.out).toContain(`accuracy   ${(100 * stored).toFixed(2)}% on 1424 mnist-small test images (the file says ${(100 * stored).toFixed(2)}%)`);
    expect(c.out).toMatch(/format version 1, binary, ResNet-8 width 8, without latent weights/);
  });

  it('a refused file is an error with the reason, exit code 1', async () => {
    const bad = join(tmp, 'bad.safetensors');
    writeFileSync(bad, readFileSync(FIXTURE).subarray(0, 100));
    const c = io();
    expect(await main(['--model', bad], c)).toBe(1);
    expect(c.err).toMatch(/^error: model file: /);
  });

  it('no --model: usage and exit code 2', async () => {
    const c = io();
    expect(await main([], c)).toBe(2);
    expect(c.err).toContain('Usage: npm run evaluate');
  });
});
