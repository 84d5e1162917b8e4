/** The comparison workbench: queued runs, overlaid curves, the ablation table, shareable URLs, a responsive page. */
import { expect, saveScreenshot, test } from './fixtures';
import { setTinyRun } from './tiny-run';

test('two queued runs both finish and both curves are drawn; the ablation table fills in', async ({ page }) => {
  await page.goto('/');
  await setTinyRun(page, { steps: 6, evalEvery: 3 });
  await page.getByTestId('preset-vanilla').click();
  await page.getByTestId('start').click();
  await page.getByTestId('preset-irnet').click();
  await page.getByTestId('start').click();
  const runs = page.getByTestId('run');
  await expect(runs).toHaveCount(2);
  await expect(runs.nth(1)).toHaveAttribute('data-state', /queued|loading|running/);
  for (const i of [0, 1]) await expect(runs.nth(i)).toHaveAttribute('data-state', 'finished', { timeout: 180_000 });
  await expect(runs.nth(0)).toContainText('Vanilla BNN');
  await expect(runs.nth(1)).toContainText('IR-Net');
  for (const chart of ['chart-accuracy', 'chart-loss']) {
    await expect(page.getByTestId(chart).locator('path.recharts-curve')).toHaveCount(2);
  }
  await page.getByTestId('compare-schedules').click();
  for (const chart of ['chart-lr', 'chart-t', 'chart-k']) {
    await expect(page.getByTestId(chart).locator('path.recharts-curve')).toHaveCount(2);
  }
  await page.getByTestId('compare-metrics').click();
  // Hiding a run from the comparison removes its curves.
  await runs.nth(0).getByTestId('compare').uncheck();
  await expect(page.getByTestId('chart-loss').locator('path.recharts-curve')).toHaveCount(1);
  await runs.nth(0).getByTestId('compare').check();
  await expect(page.getByTestId('chart-loss').locator('path.recharts-curve')).toHaveCount(2);
  await saveScreenshot(page, 'workbench-two-runs');

  await page.getByTestId('ablation-fp').uncheck();
  await page.getByTestId('ablation-seeds').fill('1');
  await page.getByTestId('queue-ablation').click();
  const table = page.getByRole('region', { name: 'Ablation' }).getByTestId('ablation-table');
  await expect(table.getByTestId('ablation-row')).toHaveCount(4);
  // Each row as the CLI's table writes it: mean ± std (– for one seed), once its run finished.
  const cell = /^\d+\.\d\d ± –$/;
  await expect(table.getByTestId('ablation-accuracy')).toHaveText([cell, cell, cell, cell], { timeout: 300_000 });
  await expect(table).toContainText('4 of 4 runs finished');
  await expect(page.getByTestId('ablation-significance')).toContainText('n = 1 seed per row');
  // Libra-PB rows carry the note that its scale cancels in the BatchNorm.
  await expect(page.getByTestId('scale-note')).toContainText('Libra-PB');
  await saveScreenshot(page, 'workbench-ablation');
});

test('a shared URL sets the controls and changing them updates the hash; a broken one shows a notice and falls back', async ({ page }) => {
  await page.goto('/#depth=14&width=32&wt=imb&est=dte&lr=0.002&seed=42');
  await expect(page.getByTestId('depth')).toHaveValue('14');
  await expect(page.getByTestId('width')).toHaveValue('32');
  await expect(page.getByTestId('imb')).toBeChecked();
  await expect(page.getByTestId('dte')).toBeChecked();
  await expect(page.getByTestId('lr')).toHaveValue('0.002');
  await expect(page.getByTestId('seed')).toHaveValue('42');
  await expect(page.getByTestId('hash-notice')).toHaveCount(0);
  // Changing a control updates the hash, so copying the address shares it.
  await page.getByTestId('seed').fill('7');
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('seed=7');

  await page.goto('/#depth=99&lr=abc&nonsense=1');
  await page.reload();
  await expect(page.getByTestId('hash-notice')).toContainText('depth');
  await expect(page.getByTestId('hash-notice')).toContainText('lr');
  await expect(page.getByTestId('depth')).toHaveValue('8');
  await saveScreenshot(page, 'workbench-broken-hash', false);
});

test('no long task over 200 ms on the main thread while a run trains', async ({ page }) => {
  await page.goto('/');
  await setTinyRun(page, { steps: 30, evalEvery: 10 });
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
  await page.getByTestId('start').click();
  const run = page.getByTestId('run').first();
  await expect(run).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  await expect(run).toHaveAttribute('data-state', 'finished', { timeout: 180_000 });
  const tasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  expect(Math.max(0, ...tasks)).toBeLessThan(200);
  await page.getByTestId('theme').selectOption('dark');
  await saveScreenshot(page, 'workbench-dark');
});
