/**
 * Node-side harness for tests that must watch a whole Chromium page from outside: the fixture app in
 * `fixtures/vite-app`, served by Vite (dev server, or a build served by `vite preview`) with
 * `createSandboxVitePlugin()`, opened with playwright-core. Vitest's browser mode cannot host these tests: it fails
 * the run as soon as any renderer of the tab crashes, and surviving the crash of the sandbox frame's renderer
 * is what they check. Pages are driven over CDP, which keeps answering after Playwright marks the page crashed.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type CDPSession, chromium } from 'playwright-core';
import { build, createServer, type InlineConfig, preview } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import { createSandboxVitePlugin } from '../vite/sandbox-vite-plugin.js';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Same switch as the browser project (vitest.config.ts): these tests need Chromium and honour the opt-out. */
export const chromiumTestsEnabled = process.env.AGENTICGEN_SKIP_BROWSER !== '1' && existsSync(chromiumPath);

const root = fileURLToPath(new URL('./fixtures/vite-app/', import.meta.url));
const packages = fileURLToPath(new URL('../../../', import.meta.url));

/** The app imports the packages by name; here they resolve to their sources, as in the other tests. */
function viteConfig(crossOriginIsolation: boolean): InlineConfig {
  return {
    root,
    configFile: false,
    logLevel: 'silent',
    base: './',
    plugins: [createSandboxVitePlugin({ crossOriginIsolation })],
    resolve: {
      alias: {
        '@agenticgen/sandbox': join(packages, 'sandbox/src/index.ts'),
        '@agenticgen/core': join(packages, 'core/src/index.ts'),
      },
    },
    server: { host: '127.0.0.1', port: 0 },
    preview: { host: '127.0.0.1', port: 0 },
  };
}

export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the fixture app from the Vite dev server (`dev`) or builds it and serves the output (`build`);
 * `crossOriginIsolation: false` leaves out the COOP/COEP headers, as a misconfigured host would.
 */
export async function serveApp(
  mode: 'dev' | 'build',
  options: { crossOriginIsolation?: boolean } = {},
): Promise<ServedApp> {
  const config = viteConfig(options.crossOriginIsolation !== false);
  if (mode === 'dev') {
    const server = await createServer(config);
    await server.listen();
    return { url: server.resolvedUrls?.local[0] ?? '', close: () => server.close() };
  }
  const outDir = await mkdtemp(join(tmpdir(), 'agenticgen-sandbox-app-'));
  await build({ ...config, build: { outDir, emptyOutDir: true, target: 'es2023' } });
  const server = await preview({ ...config, build: { outDir } });
  return {
    url: server.resolvedUrls?.local[0] ?? '',
    close: async () => {
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

export interface AppPage {
  /** Evaluates an expression in the page (promises awaited), over CDP. */
  evaluate<T>(expression: string): Promise<T>;
  /** Whether Playwright reported a renderer crash in the tab (the page's own or one of its frames'). */
  crashReported(): boolean;
  /** The dedicated workers alive in the tab, its frames' included (Chromium's own list of targets). */
  workerCount(): Promise<number>;
  close(): Promise<void>;
}

export async function openApp(url: string): Promise<AppPage> {
  const browser: Browser = await chromium.launch({
    executablePath: chromiumPath,
    // The test runner's flags (vitest.config.ts): site isolation is Chromium's default, nothing turns it on here.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
  });
  const page = await browser.newPage();
  let crashed = false;
  page.on('crash', () => {
    crashed = true;
  });
  const cdp: CDPSession = await page.context().newCDPSession(page);
  await page.goto(url);
  const evaluate = async <T>(expression: string): Promise<T> => {
    const reply = await cdp.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (reply.exceptionDetails !== undefined) {
      throw new Error(
        `page evaluation failed: ${reply.exceptionDetails.exception?.description ?? reply.exceptionDetails.text}`,
      );
    }
    return reply.result.value as T;
  };
  await page.waitForFunction(() => 'app' in globalThis, undefined, { timeout: 60_000 });
  const targets = await browser.newBrowserCDPSession();
  const workerCount = async () => {
    const { targetInfos } = await targets.send('Target.getTargets');
    return targetInfos.filter((target) => target.type === 'worker').length;
  };
  return { evaluate, crashReported: () => crashed, workerCount, close: () => browser.close() };
}

/**
 * Serves the fixture app (see `serveApp`) and opens it in Chromium before the tests of the enclosing `describe`,
 * closing both after them. Returns the open page (call it inside a test).
 */
export function useAppPage(mode: 'dev' | 'build', options: { crossOriginIsolation?: boolean } = {}): () => AppPage {
  let served: ServedApp | undefined;
  let page: AppPage | undefined;
  beforeAll(async () => {
    served = await serveApp(mode, options);
    page = await openApp(served.url);
  }, 120_000);
  afterAll(async () => {
    await page?.close();
    await served?.close();
  });
  return () => {
    if (page === undefined) throw new Error('[test] the app page did not open (see the beforeAll error)');
    return page;
  };
}
