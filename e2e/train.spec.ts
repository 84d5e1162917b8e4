/** Tiny runs train in the real browser on wasm and on WebGL; charts show finite numbers; pause/resume works. */
import { expect, saveScreenshot, test } from './fixtures';
import type { Page } from '@playwright/test';
import { setTinyRun } from './tiny-run';

async function configureTinyRun(page: Page, backend: 'wasm' | 'webgl', steps: number, evalEvery = steps): Promise<void> {
  await page.goto('/');
  await setTinyRun(page, { steps, evalEvery, backend });
}

async function lossValues(page: Page): Promise<number[]> {
  const text = await page.getByTestId('run').last().innerText();
  return [...text.matchAll(/loss (\S+)/g)].map((m) => Number(m[1]));
}

for (const backend of ['wasm', 'webgl'] as const) {
  test(`a tiny IR-Net ResNet-8 trains on ${backend}`, async ({ page }) => {
    const steps = backend === 'webgl' ? 4 : 12;
    await configureTinyRun(page, backend, steps, steps / 2);
    await page.getByTestId('start').click();
    const run = page.getByTestId('run').last();
    await expect(run).toHaveAttribute('data-state', 'finished', { timeout: 240_000 });
    await expect(run).toContainText(`on ${backend}`);
    await expect(run.getByTestId('run-progress')).toContainText(`${steps}/${steps} steps`);
    const acc = await run.getByTestId('run-accuracy').innerText();
    const pct = Number(/test acc ([\d.]+)%/.exec(acc)?.[1]);
    expect(Number.isFinite(pct)).toBe(true);
    expect(pct).toBeGreaterThanOrEqual(0);
    const losses = await lossValues(page);
    expect(losses.length).toBeGreaterThan(0);
    expect(losses.every(Number.isFinite)).toBe(true);
    // both charts drew a line
    await expect(page.getByTestId('chart-loss').locator('path.recharts-curve')).toHaveCount(1);
    await expect(page.getByTestId('chart-accuracy').locator('path.recharts-curve')).toHaveCount(1);
    await saveScreenshot(page, `trained-${backend}`);
  });
}

test('pause holds the step count and resume finishes the run', async ({ page }) => {
  await configureTinyRun(page, 'wasm', 40);
  await page.getByTestId('start').click();
  const run = page.getByTestId('run').last();
  await expect(run).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  await expect(run.getByTestId('run-progress')).toContainText(/[1-9]\d*\/40 steps/, { timeout: 60_000 });
  await run.getByTestId('pause').click();
  await expect(run).toHaveAttribute('data-state', 'paused');
  const held = await run.getByTestId('run-progress').innerText();
  await page.waitForTimeout(2_000);
  expect(await run.getByTestId('run-progress').innerText()).toBe(held);
  await run.getByTestId('resume').click();
  await expect(run).toHaveAttribute('data-state', 'finished', { timeout: 240_000 });
  await expect(run.getByTestId('run-progress')).toContainText('40/40 steps');
});
