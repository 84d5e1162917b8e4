/** Runs survive reloads in IndexedDB; a run cut off by a reload comes back interrupted and resumes. */
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';
import { setTinyRun } from './tiny-run';

async function tinyRun(page: Page, steps: number, evalEvery: number): Promise<void> {
  await setTinyRun(page, { steps, evalEvery });
  await page.getByTestId('start').click();
}

test('a finished run is still there after a reload, and can be deleted', async ({ page }) => {
  await page.goto('/');
  await tinyRun(page, 6, 3);
  const run = page.getByTestId('run').first();
  await expect(run).toHaveAttribute('data-state', 'finished', { timeout: 120_000 });
  const accuracy = await run.getByTestId('run-accuracy').innerText();
  await page.reload();
  const restored = page.getByTestId('run').first();
  await expect(restored).toHaveAttribute('data-state', 'finished');
  await expect(restored.getByTestId('run-accuracy')).toHaveText(accuracy);
  await expect(page.getByTestId('storage-usage')).toBeVisible();
  page.once('dialog', (d) => void d.accept());
  await restored.getByTestId('delete').click();
  await expect(page.getByTestId('run')).toHaveCount(0);
  await page.reload();
  await expect(page.getByText('No runs yet')).toBeVisible();
});

test('a run interrupted by a reload resumes from its checkpoint', async ({ page }) => {
  await page.goto('/');
  await tinyRun(page, 400, 4);
  const run = page.getByTestId('run').first();
  await expect(run.getByTestId('run-accuracy')).toBeVisible({ timeout: 120_000 });
  await page.waitForTimeout(1_000);
  await page.reload();
  const back = page.getByTestId('run').first();
  await expect(back).toHaveAttribute('data-state', 'interrupted');
  await expect(back).toContainText(/checkpoint at step \d+/);
  const step = Number(/checkpoint at step (\d+)/.exec(await back.innerText())?.[1]);
  await back.getByTestId('resume-interrupted').click();
  await expect(back).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  // The progress continues from the checkpoint, not from 0.
  const progressOf = async (): Promise<number> => Number(/^(\d+)\/400/.exec(await back.getByTestId('run-progress').innerText())?.[1]);
  await expect.poll(progressOf, { timeout: 60_000 }).toBeGreaterThan(step);
  expect(await progressOf()).toBeGreaterThan(step);
  await back.getByTestId('stop').click();
  await expect(back).toHaveAttribute('data-state', 'stopped', { timeout: 60_000 });
});
