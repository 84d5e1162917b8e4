/**
 * The one-screen workbench at 1280×800: Train, the progress bar and the accuracy chart without
 * scrolling; the example gallery drawn on a first visit without training anything; hiding it;
 * duplicating an example; screenshots of every main view at 1280×800 and 1920×1080.
 */
import { expect, saveScreenshot, test, artifactPath } from './fixtures';
import type { Page } from '@playwright/test';

test.use({ examples: true });

/** The MNIST group of the committed gallery is on the charts at first; the Fashion-MNIST grid is listed but off them. */
const MNIST_EXAMPLES = 7;
const ALL_EXAMPLES = 12;

/** Waits until the charts stop drawing (they mount one by one, a frame apart). */
async function chartsSettled(page: Page): Promise<void> {
  let last = -1;
  for (let i = 0; i < 40; i++) {
    const n = await page.locator('path.recharts-curve, .recharts-bar-rectangle').count();
    if (n === last) return;
    last = n;
    await page.waitForTimeout(300);
  }
}

async function examplesLoaded(page: Page): Promise<void> {
  await expect(page.getByTestId('example-run')).toHaveCount(ALL_EXAMPLES, { timeout: 30_000 });
  await expect(page.getByTestId('chart-accuracy').locator('path.recharts-curve')).toHaveCount(MNIST_EXAMPLES, { timeout: 30_000 });
}

test('on a first visit Train, the progress bar and the drawn accuracy chart fit in 1280×800 without training', async ({ page }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.goto('/');
  await examplesLoaded(page);
  await expect(page.getByTestId('start')).toBeInViewport();
  await expect(page.getByTestId('active-progress')).toBeInViewport();
  await expect(page.getByTestId('chart-accuracy')).toBeInViewport({ ratio: 1 });
  // Nothing trained: no run of our own, no dataset fetched; the examples came as files.
  await expect(page.getByTestId('run')).toHaveCount(0);
  expect(requests.some((p) => p.startsWith('/data/'))).toBe(false);
  expect(requests).toContain('/examples/index.json');
  // Train is the first control after the skip link.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to the runs and charts' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('start')).toBeFocused();
  // The examples are read-only runs marked as such, with the command that made them.
  const first = page.getByTestId('example-run').first();
  await expect(first).toContainText('example');
  await expect(first.getByTestId('run-accuracy')).toContainText(/test acc \d+\.\d\d%/);
  await expect(page.getByTestId('examples')).toContainText('npm run examples');
  await saveScreenshot(page, 'first-visit-1280x800', false);

  // One click hides them, and the choice holds after a reload.
  await page.getByTestId('examples-toggle').click();
  await expect(page.getByTestId('example-run')).toHaveCount(0);
  await expect(page.getByTestId('chart-accuracy').locator('path.recharts-curve')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('examples-toggle')).toHaveText('Show examples');
  await expect(page.getByTestId('example-run')).toHaveCount(0);
  await page.getByTestId('examples-toggle').click();
  await examplesLoaded(page);
});

test('duplicating an example puts its settings in the controls, says so and moves focus there', async ({ page }) => {
  await page.goto('/');
  await examplesLoaded(page);
  const example = page.getByTestId('example-run').filter({ has: page.locator('.run-name', { hasText: /^IR-Net · R8/ }) }).first();
  await example.getByTestId('duplicate').click();
  await expect(page.getByRole('heading', { name: 'Data and model' })).toBeFocused();
  await expect(page.getByTestId('config-notice')).toContainText('are in the controls');
  await expect(page.getByTestId('preset-irnet')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('width')).toHaveValue('8');
  const steps = /· (\d+) steps ·/.exec(await example.locator('.run-name').innerText())![1];
  await expect(page.getByTestId('steps')).toHaveValue(steps);
  // Changing a setting clears the notice.
  await page.getByTestId('seed').fill('5');
  await expect(page.getByTestId('config-notice')).toBeEmpty();
});

test('screenshots of the main views at 1280×800 and 1920×1080', async ({ page }) => {
  test.setTimeout(4 * 60_000);
  for (const [w, h] of [
    [1280, 800],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.goto('/');
    await examplesLoaded(page);
    const size = `${w}x${h}`;
    await chartsSettled(page);
    await saveScreenshot(page, `view-workbench-${size}`, false);
    await page.getByTestId('compare-schedules').click();
    await expect(page.getByTestId('chart-t')).toBeVisible();
    await chartsSettled(page);
    await saveScreenshot(page, `view-schedules-${size}`, false);
    await page.getByTestId('compare-metrics').click();

    const inside = page.getByRole('region', { name: 'Inside a run' });
    const picker = inside.getByTestId('inside-run');
    await picker.selectOption((await picker.locator('option', { hasText: 'IR2Net' }).first().getAttribute('value'))!);
    for (const view of ['entropy', 'flips', 'weights', 'gradients', 'bn', 'estimator', 'masks']) {
      await inside.getByTestId(`view-${view}`).click();
      await inside.scrollIntoViewIfNeeded();
      await expect(inside.locator('figure').first()).toBeVisible();
      await chartsSettled(page);
      await page.screenshot({ path: artifactPath(`view-inside-${view}-${size}.png`) });
    }
    const grid = page.getByTestId('examples').getByTestId('ablation-table');
    await grid.scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath(`view-example-grid-${size}.png`) });
    const summary = page.getByRole('region', { name: 'Model summary' });
    await summary.scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath(`view-summary-files-bench-${size}.png`) });
  }
});
