/**
 * WebGPU on a real adapter: Chromium's SwiftShader Vulkan device (WEBGPU_SWIFTSHADER_ARGS), a
 * software adapter. The default must pass it over; chosen, it must train correctly: the
 * cross-backend check (backend-check.html, src/bnn/backend-check.ts) computes every case on WebGPU
 * and on cpu and compares them, and a tiny run trains in the app on WebGPU.
 */
import { expect, test } from './fixtures';
import { CHROMIUM_ARGS, WEBGPU_SWIFTSHADER_ARGS } from '../src/cli/chromium-args';
import { setTinyRun } from './tiny-run';
import type { BackendCheckPageState } from '../src/pages/backend-check-page';
import { backendCheckCases } from '../src/bnn/backend-check';

test.use({
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, ...WEBGPU_SWIFTSHADER_ARGS],
  },
});

test('a software WebGPU adapter is not the default; the notice says why', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('backend-notice')).toContainText('WebGPU has only a software adapter (SwiftShader)');
  await expect(page.getByTestId('backend')).toHaveValue('wasm');
  await expect(page.getByTestId('backend').locator('option[value="webgpu"]')).toHaveCount(1);
});

test('on the SwiftShader WebGPU adapter every training computation agrees with cpu', async ({ page }) => {
  test.setTimeout(15 * 60_000);
  await page.goto('/backend-check.html?backend=webgpu&autorun=1');
  await page.waitForFunction(() => ['done', 'failed'].includes(window.backendCheck?.state), undefined, { timeout: 14 * 60_000, polling: 1000 });
  const state = (await page.evaluate(() => window.backendCheck)) as BackendCheckPageState;
  expect(state.error).toBeUndefined();
  expect(state.environment).toMatchObject({ target: 'webgpu', reference: 'cpu', webgpuAdapter: 'google swiftshader' });
  expect(state.results.map((r) => r.name)).toEqual(backendCheckCases().map((c) => c.name));
  const failed = state.results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.failure ?? `${r.worst?.output} ${r.worst?.error}`}`);
  expect(failed).toEqual([]);
  await expect(page.locator('#status')).toHaveText(`all ${state.results.length} cases agree`);
});

test('a tiny IR-Net ResNet-8 trains on WebGPU in the app, with a real loss', async ({ page }) => {
  // SwiftShader compiles a shader per op and shape: each new batch shape (training, evaluation,
  // BN calibration) costs a minute or more on 2 cores, so one evaluation, no calibration.
  test.setTimeout(10 * 60_000);
  await page.goto('/');
  await setTinyRun(page, { steps: 3, evalEvery: 3, backend: 'webgpu' });
  await page.getByTestId('eval-limit').fill('50');
  await page.getByTestId('bn-calibration').fill('0');
  await page.getByTestId('start').click();
  const run = page.getByTestId('run').last();
  await expect(run).toHaveAttribute('data-state', /finished|failed/, { timeout: 9 * 60_000 });
  expect(await run.getAttribute('data-state'), await run.innerText()).toBe('finished');
  await expect(run.getByTestId('run-backend')).toHaveText('on webgpu');
  await expect(run.getByTestId('run-progress')).toContainText('3/3 steps');
  const losses = [...(await run.innerText()).matchAll(/loss (\S+)/g)].map((m) => Number(m[1]));
  expect(losses.length).toBeGreaterThan(0);
  // Cross-entropy of 10 classes starts near ln 10; 0 was what a broken sum read back.
  expect(losses.every((l) => Number.isFinite(l) && l > 0.1)).toBe(true);
  const acc = Number(/test acc ([\d.]+)%/.exec(await run.getByTestId('run-accuracy').innerText())?.[1]);
  expect(Number.isFinite(acc)).toBe(true);
});
