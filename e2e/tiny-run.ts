import type { Page } from '@playwright/test';

/** Sets the controls for a run small enough for headless Chromium on a 2-core machine. */
export async function setTinyRun(page: Page, o: { steps: number; evalEvery: number; backend?: 'wasm' | 'webgl' | 'webgpu' }): Promise<void> {
  await openMoreSettings(page);
  await page.getByTestId('depth').selectOption('8');
  await page.getByTestId('width').selectOption('8');
  await page.getByTestId('batch').fill('16');
  await page.getByTestId('steps').fill(String(o.steps));
  await page.getByTestId('eval-every').fill(String(o.evalEvery));
  await page.getByTestId('eval-limit').fill('200');
  await page.getByTestId('bn-calibration').fill('100');
  await page.getByTestId('backend').selectOption(o.backend ?? 'wasm');
}

/** Unfolds the training settings that are folded away by default (evaluation, optimizer, estimators). */
export async function openMoreSettings(page: Page): Promise<void> {
  const more = page.locator('details.more');
  if (!(await more.evaluate((d) => (d as HTMLDetailsElement).open))) await page.getByTestId('more-settings').click();
}
