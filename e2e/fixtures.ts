/**
 * Shared e2e fixtures. Every test that imports `test` from here fails when the page (or
 * one of its Workers) logs a console error or throws an uncaught error, so silent breakage
 * surfaces in any spec, not only the smoke test.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Screenshots and other files specs keep for people to look at (gitignored). */
export const ARTIFACTS_DIR = resolve(process.cwd(), 'e2e-artifacts');

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return join(ARTIFACTS_DIR, name);
}

/** Screenshot into e2e-artifacts/<name>.png (the full page, or only the viewport); returns its path. */
export async function saveScreenshot(page: Page, name: string, fullPage = true): Promise<string> {
  const path = artifactPath(`${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

export interface ConsoleErrors {
  /** Errors seen so far, as "console: …" or "pageerror: …" lines. */
  readonly list: string[];
  /** Tolerate errors matching `pattern` in the current test (use sparingly, say why). */
  allow(pattern: RegExp): void;
}

export interface Options {
  /**
   * Whether the example gallery shows on the first visit (it does for a real first visit).
   * Specs about training hide it, so their counts of runs and curves are about their own runs;
   * `test.use({ examples: true })` keeps it.
   */
  examples: boolean;
}

export const test = base.extend<{ consoleErrors: ConsoleErrors } & Options>({
  examples: [false, { option: true }],
  context: async ({ context, examples }, use) => {
    if (!examples) {
      // Only when nothing is stored yet, so a test can still show the gallery by its button.
      await context.addInitScript(() => {
        try {
          if (localStorage.getItem('bnn-playground-examples') === null) localStorage.setItem('bnn-playground-examples', 'hidden');
        } catch {
          // about:blank and other opaque origins have no localStorage.
        }
      });
    }
    await use(context);
  },
  consoleErrors: [
    async ({ context }, use) => {
      const list: string[] = [];
      const allowed: RegExp[] = [];
      const record = (line: string) => {
        if (!allowed.some((p) => p.test(line))) list.push(line);
      };
      // Every page of the test's context (a second tab opened by a test too) and their Workers.
      context.on('console', (msg) => {
        if (msg.type() !== 'error') return;
        const where = msg.location().url ? ` (${msg.location().url})` : '';
        record(`console: ${msg.text()}${where}`);
      });
      context.on('weberror', (e) => record(`pageerror: ${e.error().stack ?? e.error().message}`));
      await use({ list, allow: (p) => allowed.push(p) });
      expect(list, 'console errors or uncaught page errors').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
