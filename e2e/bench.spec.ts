/**
 * The "Measure on this device" panel runs the quick benchmark suite in a Worker in Chromium:
 * progress advances, and the XNOR engine beats the float engine on the whole model.
 */
import { readFileSync } from 'node:fs';
import { expect, saveScreenshot, test } from './fixtures';

test('the device benchmark runs a quick suite and shows an XNOR speed-up > 1', async ({ page }) => {
  test.setTimeout(6 * 60_000);
  await page.goto('/');
  const panel = page.getByTestId('device-bench');
  await panel.scrollIntoViewIfNeeded();
  await expect(panel.getByRole('heading', { name: 'Measure on this device' })).toBeVisible();
  await expect(panel.getByTestId('bench-quick')).toBeChecked();

  // Keyboard only: focus Run and press Enter.
  await panel.getByTestId('bench-run').focus();
  await page.keyboard.press('Enter');
  await expect(panel.getByTestId('bench-run')).toBeDisabled();
  await expect(panel.getByTestId('bench-progress')).toBeVisible();
  // Progress counts blocks of samples up to a known total.
  await expect(panel.getByTestId('bench-status')).toHaveText(/^\d+ \/ \d+ · /, { timeout: 60_000 });
  const [, , total] = /(\d+) \/ (\d+)/.exec(await panel.getByTestId('bench-status').innerText())!.map(Number);
  expect(total).toBeGreaterThan(10);
  // Storage is known as soon as the suite starts.
  const saving = Number(await panel.getByTestId('bench-storage').getAttribute('data-saving'));
  expect(saving).toBeGreaterThan(20);

  await expect(panel.getByTestId('bench-status')).toHaveText('Done.', { timeout: 5 * 60_000 });
  // The benchmark Worker of a cross-origin isolated page runs wasm on every core.
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  await expect(panel.getByTestId('bench-env')).toContainText('crossOriginIsolated: true');
  await expect(panel.getByTestId('bench-env')).toContainText(`wasmThreads: ${cores}`);
  await expect(panel.getByTestId('bench-progress')).toHaveAttribute('value', String(total));
  const speedup = Number(await panel.getByTestId('bench-model-speedup-b1').getAttribute('data-speedup'));
  expect(speedup).toBeGreaterThan(1);
  await expect(panel.getByTestId('bench-model-speedup-b1')).toContainText('faster than the float engine');
  // GEMM + the 5 ResNet-20 conv shapes at batch 1 + the whole model.
  await expect(panel.getByTestId('bench-table').locator('tbody tr')).toHaveCount(7);
  // One bar per layer case for each peer (float, tfjs wasm).
  await expect(panel.getByTestId('bench-chart').locator('.recharts-bar-rectangle')).toHaveCount(12);
  await expect(panel.getByTestId('bench-run')).toBeEnabled();
  // The results download as the JSON document `npm run bench -- --json` prints.
  const [download] = await Promise.all([page.waitForEvent('download'), panel.getByTestId('bench-download').click()]);
  expect(download.suggestedFilename()).toMatch(/^bnn-bench-.*\.json$/);
  const result = JSON.parse(readFileSync((await download.path())!, 'utf8')) as { suite: string; cases: { id: string; speedups: unknown[] }[] };
  expect(result.suite).toBe('device');
  expect(result.cases.map((c) => c.id)).toContain('gemm-256x256x2304');
  expect(result.cases).toHaveLength(7);
  await saveScreenshot(page, 'device-bench');
});

test('a running benchmark can be cancelled', async ({ page }) => {
  await page.goto('/');
  const panel = page.getByTestId('device-bench');
  await panel.scrollIntoViewIfNeeded();
  await panel.getByTestId('bench-run').click();
  await expect(panel.getByTestId('bench-status')).toHaveText(/^\d+ \/ \d+ · /, { timeout: 60_000 });
  await panel.getByTestId('bench-cancel').click();
  await expect(panel.getByTestId('bench-status')).toHaveText('Cancelled.', { timeout: 60_000 });
  await expect(panel.getByTestId('bench-run')).toBeEnabled();
});
