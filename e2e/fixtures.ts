/**
 * Shared e2e fixtures. Every test that imports `test` from here fails when the page (or
 * one of its Workers) logs a console error or throws an uncaught error, so silent breakage
 * surfaces in any spec, not only the smoke test.
 */
import { test as base, expect, type ConsoleMessage, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Screenshots and other files specs keep for people to look at (gitignored). */
export const ARTIFACTS_DIR = resolve(process.cwd(), 'e2e-artifacts');

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return join(ARTIFACTS_DIR, name);
}

/** Full-page screenshot into e2e-artifacts/<name>.png; returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const path = artifactPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface ConsoleErrors {
  /** Errors seen so far, as "console: …" or "pageerror: …" lines. */
  readonly list: string[];
  /** Tolerate errors matching `pattern` in the current test (use sparingly, say why). */
  allow(pattern: RegExp): void;
}

/** The browser asks for /favicon.ico by itself; a 404 there is not an app error. */
function isFaviconMiss(msg: ConsoleMessage): boolean {
  return /\/favicon\.ico(\?|$)/.test(msg.location().url);
}

export const test = base.extend<{ consoleErrors: ConsoleErrors }>({
  consoleErrors: [
    async ({ page }, use) => {
      const list: string[] = [];
      const allowed: RegExp[] = [];
      const record = (line: string) => {
        if (!allowed.some((p) => p.test(line))) list.push(line);
      };
      page.on('console', (msg) => {
        if (msg.type() !== 'error' || isFaviconMiss(msg)) return;
        const where = msg.location().url ? ` (${msg.location().url})` : '';
        record(`console: ${msg.text()}${where}`);
      });
      page.on('pageerror', (err) => record(`pageerror: ${err.stack ?? err.message}`));
      await use({ list, allow: (p) => allowed.push(p) });
      expect(list, 'console errors or uncaught page errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
