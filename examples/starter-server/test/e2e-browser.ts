import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Where the system Chromium is; the end-to-end suites are skipped (loudly) without it, and fail on CI. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(chromiumPath);
const onCi = process.env.CI === 'true' || process.env.CI === '1';
if (!hasChromium) {
  if (onCi) throw new Error(`[test] Chromium not found at ${chromiumPath}; CI must run the end-to-end tests`);
  console.warn(
    `\n\u001b[33m!!! [test] Chromium not found at ${chromiumPath}: the UI end-to-end tests are SKIPPED\u001b[0m\n`,
  );
}

const repositoryRoot = join(import.meta.dirname, '..', '..', '..');
const artifacts = join(repositoryRoot, 'test-artifacts', 'starter-server');
/** Screenshots shown in docs/getting-started.md; refreshed by a run with AGENTICGEN_UPDATE_SCREENSHOTS=1. */
export const docsScreenshots = join(repositoryRoot, 'docs', 'images', 'starter');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--font-render-hinting=none',
    ],
  });
}

/**
 * A page of its own browser context (its own localStorage), with its uncaught page errors and console errors
 * collected in `errors`, which the suites check is empty, so a broken script fails with its message.
 */
export async function openPage(
  browser: Browser,
  viewport: { width: number; height: number } = { width: 1200, height: 860 },
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // A refused request (409, 400) is the browser's note on a response the screen handles and shows.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      errors.push(`console error: ${message.text()}`);
  });
  return { context, page, errors };
}

/**
 * Saves a screenshot under test-artifacts/ and, when AGENTICGEN_UPDATE_SCREENSHOTS=1, into the docs
 * (docs/getting-started.md shows each one that has `inDocs`, the default).
 */
export async function screenshot(page: Page, name: string, options: { inDocs?: boolean } = {}): Promise<void> {
  mkdirSync(artifacts, { recursive: true });
  const path = join(artifacts, `${name}.png`);
  // From the top: a scrolled page draws its sticky header in the middle of a full-page shot.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path, fullPage: true });
  if (process.env.AGENTICGEN_UPDATE_SCREENSHOTS === '1' && options.inDocs !== false) {
    mkdirSync(docsScreenshots, { recursive: true });
    copyFileSync(path, join(docsScreenshots, `${name}.png`));
  }
}

/** True when nothing on the page is wider than the viewport (no sideways scrolling on a phone). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
