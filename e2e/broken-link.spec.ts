/**
 * A broken shared link shows a notice that can be dismissed, in the build and under the
 * development server (where React StrictMode runs start-up twice).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test } from './fixtures';
import type { Page } from '@playwright/test';

const BROKEN = '/#depth=99&lr=abc&nonsense=1';

async function expectNotice(page: Page): Promise<void> {
  const notice = page.getByTestId('hash-notice');
  await expect(notice).toContainText('depth');
  await expect(notice).toContainText('lr');
  await expect(notice).toContainText('nonsense');
  await expect(page.getByTestId('depth')).toHaveValue('8');
}

test('in the build: the notice names each problem, the controls fall back, and Dismiss removes it', async ({ page }) => {
  await page.goto(BROKEN);
  await expectNotice(page);
  await page.getByTestId('hash-notice-dismiss').click();
  await expect(page.getByTestId('hash-notice')).toHaveCount(0);
});

test.describe('under the development server', () => {
  const port = Number(process.env.E2E_PORT ?? 4173) + 1;
  let server: ChildProcess | null = null;

  test.beforeAll(async () => {
    test.setTimeout(120_000);
    server = spawn('npx', ['vite', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { stdio: 'ignore', detached: true });
    const until = Date.now() + 90_000;
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/`)).ok) break;
      } catch {
        // not up yet
      }
      if (Date.now() > until) throw new Error('the development server did not start');
      await new Promise((r) => setTimeout(r, 500));
    }
  });

  test.afterAll(() => {
    if (server?.pid) process.kill(-server.pid);
  });

  test('the notice shows there too', async ({ page }) => {
    test.setTimeout(180_000);
    // The first visit lets Vite compile and optimise the dependencies (which may reload the page).
    await page.goto(`http://127.0.0.1:${port}/`);
    await expect(page.getByTestId('start')).toBeVisible({ timeout: 120_000 });
    await page.waitForLoadState('networkidle');
    const fresh = await page.context().newPage();
    await fresh.goto(`http://127.0.0.1:${port}${BROKEN}`);
    await expectNotice(fresh);
  });
});
