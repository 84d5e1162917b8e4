/**
 * End-to-end tests against the built app (`npm run test:e2e` builds first), served by
 * `vite preview`, in the system Chromium (Playwright's own browser download is not used).
 *
 * This machine has no GPU: WebGL runs on SwiftShader, which is slow (a tiny training step
 * takes 1-2 s), hence one worker and generous timeouts.
 */
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from './src/cli/chromium-args';

/** `vite preview`'s port; E2E_PORT lets two checkouts test side by side. */
const PORT = Number(process.env.E2E_PORT ?? 4173);
const CI = !!process.env.CI;

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: CI,
  timeout: 5 * 60_000,
  expect: { timeout: 60_000 },
  reporter: CI ? [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]] : 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    headless: true,
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    video: 'off',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: CHROMIUM_ARGS,
        },
      },
    },
  ],
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !CI,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
