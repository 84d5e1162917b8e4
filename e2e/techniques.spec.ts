/** The papers' presets in the browser: IR2Net shows its masks; DIR-Net needs a full-precision teacher. */
import { expect, saveScreenshot, test } from './fixtures';
import { setTinyRun } from './tiny-run';

test('the IR2Net preset trains on shapes and the mask viewer shows images', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('preset-ir2net').click();
  await expect(page.getByTestId('restriction')).toBeChecked();
  await expect(page.getByTestId('recovery')).toHaveValue('compact');
  await page.getByTestId('dataset').selectOption('shapes');
  await setTinyRun(page, { steps: 6, evalEvery: 3 });
  await page.getByTestId('start').click();
  const run = page.getByTestId('run').last();
  await expect(run).toHaveAttribute('data-state', 'finished', { timeout: 180_000 });
  await page.getByTestId('view-masks').click();
  const viewer = page.getByTestId('mask-viewer');
  await expect(viewer).toBeVisible();
  // Eight train images of eight classes, each as image · attention · masked input, with the colour scale.
  await expect(viewer.getByTestId('mask-item')).toHaveCount(8);
  await expect(viewer.getByTestId('mask-image')).toHaveCount(24);
  const classes = await viewer.getByTestId('mask-item').allInnerTexts();
  expect(new Set(classes.map((t) => /class (\S+)/.exec(t)?.[1])).size).toBe(8);
  await expect(viewer.getByTestId('attention-scale')).toBeVisible();
  await expect(page.getByTestId('chart-mask-keep').locator('path.recharts-curve')).toHaveCount(1);
  // The canvases hold real pixels: not all one colour.
  const distinct = await viewer.getByTestId('mask-image').first().evaluate((c) => {
    const canvas = c as HTMLCanvasElement;
    const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    return new Set(Array.from({ length: d.length / 4 }, (_, i) => `${d[4 * i]},${d[4 * i + 1]},${d[4 * i + 2]}`)).size;
  });
  expect(distinct).toBeGreaterThan(10);
  await saveScreenshot(page, 'ir2net-masks');
});

test('the DIR-Net preset refuses to start without a teacher and starts with one', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('preset-dirnet').click();
  await setTinyRun(page, { steps: 4, evalEvery: 2 });
  await expect(page.getByTestId('teacher-missing')).toContainText('No compatible teacher');
  await page.getByTestId('start').click();
  await expect(page.getByTestId('form-error')).toContainText('needs a teacher');
  await expect(page.getByTestId('run')).toHaveCount(0);

  // Train the full-precision teacher of the same architecture.
  await page.getByTestId('preset-fp').click();
  await page.getByTestId('start').click();
  await expect(page.getByTestId('run').first()).toHaveAttribute('data-state', 'finished', { timeout: 120_000 });

  await page.getByTestId('preset-dirnet').click();
  const teacher = page.getByTestId('teacher');
  await expect(teacher.locator('option')).toHaveCount(2);
  await teacher.selectOption({ index: 1 });
  await page.getByTestId('start').click();
  const student = page.getByTestId('run').nth(1);
  await expect(student).toHaveAttribute('data-state', 'finished', { timeout: 180_000 });
  await expect(student.getByTestId('run-accuracy')).toBeVisible();
});
