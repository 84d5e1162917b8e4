/** The built app loads, renders into #root, and logs no error (checked by the fixture). */
import { expect, saveScreenshot, test } from './fixtures';

test('the app loads and renders without errors', async ({ page }) => {
  await page.goto('/');
  const root = page.locator('#root');
  await expect(root).not.toBeEmpty();
  await expect(root).toBeVisible();
  // Let start-up work (backend detection, worker start, data fetch) run and report errors.
  await page.waitForLoadState('networkidle');
  await saveScreenshot(page, 'smoke');
});
