/**
 * Backends in the plain e2e Chromium (no GPU, SwiftShader WebGL, WebGPU without an adapter).
 *
 * Cross-origin isolation: `vite preview` sends COOP/COEP, so the page has SharedArrayBuffer and
 * tfjs wasm loads its threaded SIMD binary in the training Worker, one thread per core; the
 * datasets (same-origin, kept in the Cache Storage) still load. Without the headers the page says
 * so and wasm trains on one thread with the single-threaded SIMD binary.
 *
 * The default falls back to wasm with a notice naming both GPU backends; WebGPU can still be
 * chosen, and a run on it then fails with the reason. (WebGPU on an adapter: webgpu.spec.ts.)
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { setTinyRun } from './tiny-run';

/** The wasm binaries the page and its Workers fetch. */
function wasmBinaries(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    const m = /(tfjs-backend-wasm[a-z-]*)-[\w-]+\.wasm$/.exec(new URL(r.url()).pathname);
    if (m) seen.push(m[1]);
  });
  return seen;
}

async function trainTinyOnWasm(page: Page): Promise<string> {
  await setTinyRun(page, { steps: 4, evalEvery: 4, backend: 'wasm' });
  await page.getByTestId('start').click();
  const run = page.getByTestId('run').last();
  await expect(run).toHaveAttribute('data-state', /finished|failed/, { timeout: 180_000 });
  expect(await run.getAttribute('data-state'), await run.innerText()).toBe('finished');
  return run.getByTestId('run-backend').innerText();
}

test('the page is cross-origin isolated and wasm trains on one thread per core in the Worker', async ({ page }) => {
  const binaries = wasmBinaries(page);
  await page.goto('/');
  const { isolated, cores } = await page.evaluate(() => ({ isolated: crossOriginIsolated, cores: navigator.hardwareConcurrency }));
  expect(isolated).toBe(true);
  await expect(page.getByTestId('isolation-notice')).toHaveCount(0);
  const backend = await trainTinyOnWasm(page);
  expect(backend).toBe(`on wasm, ${cores} thread${cores === 1 ? '' : 's'}`);
  expect(binaries).toContain('tfjs-backend-wasm-threaded-simd');
  expect(binaries).not.toContain('tfjs-backend-wasm-simd');
  // The dataset came through under COEP and was kept for the next visit.
  const cached = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) for (const req of await (await caches.open(name)).keys()) urls.push(req.url);
    return urls;
  });
  expect(cached.some((u) => /\/data\//.test(u))).toBe(true);
});

test('without the isolation headers the page says so and wasm trains on one thread', async ({ page }) => {
  // The same build, served as a host without the two headers would serve it.
  await page.route('**/*', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
  const binaries = wasmBinaries(page);
  await page.goto('/');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const notice = page.getByTestId('isolation-notice');
  await expect(notice).toContainText('not cross-origin isolated');
  await expect(notice).toContainText(cores > 1 ? `one thread instead of ${cores}` : 'one thread');
  expect(await trainTinyOnWasm(page)).toBe('on wasm, 1 thread');
  expect(binaries).toContain('tfjs-backend-wasm-simd');
  expect(binaries).not.toContain('tfjs-backend-wasm-threaded-simd');
});

test('no GPU backend is real here: wasm is the default, the notice says why, and WebGPU can still be chosen', async ({ page }) => {
  await page.goto('/');
  const notice = page.getByTestId('backend-notice');
  await expect(notice).toContainText('WebGL is software-rendered (SwiftShader)');
  await expect(notice).toContainText('WebGPU is not available: WebGPU has no adapter');
  await expect(page.getByTestId('backend')).toHaveValue('wasm');
  await setTinyRun(page, { steps: 2, evalEvery: 2, backend: 'webgpu' });
  await page.getByTestId('start').click();
  const run = page.getByTestId('run').last();
  await expect(run).toHaveAttribute('data-state', 'failed', { timeout: 60_000 });
  await expect(run).toContainText('Could not start the webgpu backend');
  await expect(run).toContainText('WebGPU has no adapter');
});
