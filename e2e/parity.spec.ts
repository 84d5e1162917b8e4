/** The browser and the command line train the same numbers: same config, seed and backend (wasm) → the same weights. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { expect, artifactPath, test } from './fixtures';
import { setTinyRun } from './tiny-run';
import { configFromDiff } from '../src/io/model-file-config';

interface TensorEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

/** A .safetensors file's metadata and each tensor's dtype, shape and raw bytes. */
function readModelFile(path: string): { metadata: Record<string, string>; tensors: Map<string, { dtype: string; shape: number[]; bytes: Buffer }> } {
  const bytes = readFileSync(path);
  const headerLength = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, unknown>;
  const tensors = new Map<string, { dtype: string; shape: number[]; bytes: Buffer }>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: [from, to] } = entry as TensorEntry;
    tensors.set(name, { dtype, shape, bytes: bytes.subarray(8 + headerLength + from, 8 + headerLength + to) });
  }
  return { metadata: header.__metadata__ as Record<string, string>, tensors };
}

test('an IR-Net run in the browser and `npm run train` with its config give bit-identical weights and the same accuracy', async ({ page }) => {
  await page.goto('/');
  await setTinyRun(page, { steps: 6, evalEvery: 3, backend: 'wasm' });
  await page.getByTestId('preset-irnet').click();
  await page.getByTestId('start').click();
  const run = page.getByTestId('run').first();
  await expect(run).toHaveAttribute('data-state', 'finished', { timeout: 180_000 });
  const shown = /test acc ([\d.]+)%/.exec(await run.getByTestId('run-accuracy').innerText())![1];
  const [download] = await Promise.all([page.waitForEvent('download'), run.getByTestId('export').click()]);
  const browserFile = artifactPath('parity-browser.safetensors');
  await download.saveAs(browserFile);
  const browser = readModelFile(browserFile);

  // The same configuration (the file stores its differences from the format's baseline), trained
  // headless in Node on the wasm backend.
  const parsed = configFromDiff(JSON.parse(browser.metadata.config), (JSON.parse(browser.metadata.dataset) as { name: string }).name);
  if (!parsed.ok) throw new Error(parsed.error);
  const config = parsed.config;
  expect(config.backend).toBe('wasm');
  const configFile = artifactPath('parity-config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const out = artifactPath('parity-node');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  execFileSync('npx', ['tsx', 'src/cli/train.ts', '--config', configFile, '--out', out], { stdio: 'pipe', timeout: 240_000 });
  const node = readModelFile(`${out}/model.safetensors`);

  expect([...node.tensors.keys()].sort()).toEqual([...browser.tensors.keys()].sort());
  const differing = [...browser.tensors].filter(([name, t]) => {
    const other = node.tensors.get(name)!;
    return t.dtype !== other.dtype || t.shape.join() !== other.shape.join() || !t.bytes.equals(other.bytes);
  });
  expect(differing.map(([name]) => name)).toEqual([]);

  const metrics = JSON.parse(readFileSync(`${out}/metrics.json`, 'utf8')) as { final: { testAccuracy: number } };
  expect((metrics.final.testAccuracy * 100).toFixed(2)).toBe(Number(shown).toFixed(2));
});
