/** The top bar's controls: Step trains one batch, Share copies a link that reproduces the settings, Enter in a field starts nothing, all by keyboard. */
import { expect, test } from './fixtures';
import { setTinyRun } from './tiny-run';
import type { Page } from '@playwright/test';

/** Presses Tab until the element with this test id has focus (keyboard only); fails after `max` presses. */
async function tabTo(page: Page, testId: string, max = 300): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return;
  }
  throw new Error(`${testId} was not reached in ${max} Tab presses`);
}

test('Step trains one batch at a time, then Resume trains to the end', async ({ page }) => {
  await page.goto('/');
  await setTinyRun(page, { steps: 6, evalEvery: 6 });
  await page.getByTestId('step').click();
  const run = page.getByTestId('run').first();
  await expect(run).toHaveAttribute('data-state', 'paused', { timeout: 60_000 });
  await expect(run.getByTestId('run-progress')).toContainText('1/6 steps', { timeout: 60_000 });
  await expect(page.getByTestId('active-progress-text')).toContainText('1/6 steps');
  await expect(page.getByTestId('top-pause')).toHaveText(/Resume/);
  // Held between steps: nothing more happens until the next Step.
  await page.waitForTimeout(1_500);
  await expect(run.getByTestId('run-progress')).toContainText('1/6 steps');
  await page.getByTestId('step').click();
  await expect(run.getByTestId('run-progress')).toContainText('2/6 steps', { timeout: 30_000 });
  await expect(run).toHaveAttribute('data-state', 'paused');
  await page.getByTestId('top-pause').click();
  await expect(run).toHaveAttribute('data-state', 'finished', { timeout: 60_000 });
  await expect(run.getByTestId('run-progress')).toContainText('6/6 steps');
  // The run's steps measured this shape's step time: the next run's duration is estimated.
  await expect(page.getByTestId('run-estimate')).toContainText(/≈ .* at \d+ ms\/step measured here/);
});

test('Share copies a link that opens the same settings', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await page.getByTestId('preset-bireal').click();
  await page.getByTestId('depth').selectOption('14');
  await page.getByTestId('width').selectOption('32');
  await page.getByTestId('lr').fill('0.003');
  await page.getByTestId('seed').fill('42');
  await page.getByTestId('steps').fill('777');
  await page.getByTestId('share').click();
  await expect(page.getByTestId('share-status')).toContainText('Link copied: it opens these settings with seed 42');
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#/);
  expect(link).not.toContain('backend=');

  const other = await context.newPage();
  await other.goto(link);
  await expect(other.getByTestId('preset-bireal')).toHaveAttribute('aria-pressed', 'true');
  await expect(other.getByTestId('depth')).toHaveValue('14');
  await expect(other.getByTestId('width')).toHaveValue('32');
  await expect(other.getByTestId('lr')).toHaveValue('0.003');
  await expect(other.getByTestId('seed')).toHaveValue('42');
  await expect(other.getByTestId('steps')).toHaveValue('777');
  await expect(other.getByTestId('hash-notice')).toHaveCount(0);
  await other.close();
});

test('Enter in a number field queues no run', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('steps').fill('12');
  await page.getByTestId('steps').press('Enter');
  await page.getByTestId('lr').press('Enter');
  await page.waitForTimeout(500);
  await expect(page.getByTestId('run')).toHaveCount(0);
});

test('keyboard only: configure a run, start it, pause it, resume it and take it off the charts', async ({ page }) => {
  await page.goto('/');
  // Configure: a preset, the model and the budget, by Tab, arrow keys and typing.
  await tabTo(page, 'preset-vanilla');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('preset-vanilla')).toHaveAttribute('aria-pressed', 'true');
  await tabTo(page, 'width');
  await page.keyboard.press('Home');
  await expect(page.getByTestId('width')).toHaveValue('8');
  const type = async (id: string, value: string): Promise<void> => {
    await tabTo(page, id);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(value);
  };
  await type('steps', '60');
  await type('batch', '16');
  // The evaluation settings are folded away: Enter on their summary unfolds them.
  await tabTo(page, 'more-settings');
  await page.keyboard.press('Enter');
  await type('eval-every', '30');
  await type('eval-limit', '200');
  await type('bn-calibration', '100');
  await expect(page.getByTestId('steps')).toHaveValue('60');
  // Start with Train (the top bar comes first in the Tab order after the skip link).
  await page.keyboard.press('Shift+Tab');
  await tabTo(page, 'start');
  await page.keyboard.press('Enter');
  const run = page.getByTestId('run').first();
  await expect(run).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  await expect(run.getByTestId('run-progress')).toContainText(/[1-9]\d*\/60 steps/, { timeout: 60_000 });
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('top-pause')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(run).toHaveAttribute('data-state', 'paused');
  await expect(page.getByTestId('top-pause')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(run).toHaveAttribute('data-state', 'finished', { timeout: 120_000 });
  // Compare: the legend entry is a button that takes the run off the charts and back.
  await expect(page.getByTestId('chart-loss').locator('path.recharts-curve')).toHaveCount(1);
  const entry = page.getByTestId('compare-legend').getByTestId('legend-item');
  await tabTo(page, 'legend-item');
  await expect(entry).toBeFocused();
  await expect(entry).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Space');
  await expect(entry).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('chart-loss').locator('path.recharts-curve')).toHaveCount(0);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('chart-loss').locator('path.recharts-curve')).toHaveCount(1);
  // The chart tabs move with the arrow keys.
  await tabTo(page, 'compare-metrics');
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('compare-schedules')).toBeFocused();
  await expect(page.getByTestId('compare-schedules')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('chart-t')).toBeVisible();
});
