/** The default dataset, the official MNIST (60,000/10,000), downloads in the browser with a progress bar and trains. */
import { expect, test } from './fixtures';
import { setTinyRun } from './tiny-run';

test('training on the official MNIST in the browser loads the dataset with a progress bar and reaches a finite accuracy', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('dataset')).toHaveValue('mnist');
  await setTinyRun(page, { steps: 4, evalEvery: 4 });
  // The download is quick from the local server: record every progress value the bar shows.
  await page.evaluate(() => {
    const w = window as unknown as { seen: number[] };
    w.seen = [];
    new MutationObserver(() => {
      const bar = document.querySelector<HTMLProgressElement>('[data-testid="dataset-progress"]');
      if (bar) w.seen.push(bar.value);
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await page.getByTestId('start').click();
  const run = page.getByTestId('run').first();
  await expect(run).toHaveAttribute('data-state', 'finished', { timeout: 180_000 });
  const seen = await page.evaluate(() => (window as unknown as { seen: number[] }).seen);
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.every((v) => v >= 0 && v <= 1)).toBe(true);
  const pct = Number(/test acc ([\d.]+)%/.exec(await run.getByTestId('run-accuracy').innerText())?.[1]);
  expect(Number.isFinite(pct)).toBe(true);
  expect(pct).toBeGreaterThanOrEqual(0);
  expect(pct).toBeLessThanOrEqual(100);
  await expect(run).toContainText('MNIST');
});
