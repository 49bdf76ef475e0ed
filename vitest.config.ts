import { existsSync, globSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import type { Plugin } from 'vite';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/**
 * Test layout (see docs/architecture.md):
 * - `*.test.ts`          runs in Node and in Chromium (the code claims both runtimes);
 * - `*.node.test.ts`     runs only in Node (runtime-specific code: files, Redis, LanceDB, child processes);
 * - `*.browser.test.ts`  runs only in Chromium (IndexedDB, Web Workers, iframes).
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const onCi = process.env.CI === 'true' || process.env.CI === '1';
const browserWanted = process.env.AGENTICGEN_SKIP_BROWSER !== '1';
const hasChromium = existsSync(chromiumPath);

if (browserWanted && !hasChromium) {
  if (onCi) {
    throw new Error(
      `[test] Chromium not found at ${chromiumPath}; CI must run the browser project. Install it with "apt-get install -y chromium" or set CHROMIUM_PATH.`,
    );
  }
  console.warn(
    `\n\u001b[33m!!! [test] Chromium not found at ${chromiumPath}: the BROWSER PROJECT IS SKIPPED. Install it with "apt-get install -y chromium".\u001b[0m\n`,
  );
}

/** Cross-origin isolation so SharedArrayBuffer (Pyodide interrupts, metrics snapshots) works in the page. */
const crossOriginIsolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Tests import the packages by name, as users do, but from source: `@agenticgen/x` resolves to
 * `src/index.<runtime>.ts` when the package has a runtime-specific entry and to `src/index.ts` otherwise;
 * `@agenticgen/x/sub` resolves to `src/sub.ts` or `src/sub/index.ts`. This mirrors the `exports` conditions.
 */
function workspaceSources(runtime: 'node' | 'browser'): Plugin {
  return {
    name: `agenticgen-workspace-sources-${runtime}`,
    enforce: 'pre',
    resolveId(source) {
      const match = /^@agenticgen\/([a-z-]+)(?:\/(.+))?$/.exec(source);
      if (match === null) return null;
      const [, name, subpath] = match;
      const base = `${root}packages/${name}/src/`;
      const candidates = subpath
        ? [`${base}${subpath}.ts`, `${base}${subpath}/index.ts`]
        : [`${base}index.${runtime}.ts`, `${base}index.ts`];
      return candidates.find((candidate) => existsSync(candidate)) ?? null;
    },
  };
}

/**
 * Packages that need Node-side fixtures in both projects (e.g. the adapters' fake provider servers, which
 * browser tests reach over HTTP) ship `src/testing/vitest-global-setup.ts`; it may `provide()` values that
 * tests read with `inject()`.
 */
const packageGlobalSetups = globSync('packages/*/src/testing/vitest-global-setup.ts', { cwd: root }).map(
  (path) => `${root}${path}`,
);

const sharedInclude = ['packages/*/src/**/*.test.ts', 'examples/*/src/**/*.test.ts', 'examples/*/test/**/*.test.ts'];

const nodeProject: TestProjectInlineConfiguration = {
  plugins: [workspaceSources('node')],
  test: {
    name: 'node',
    environment: 'node',
    // The repository scripts' own tests (e.g. the API report) are Node-only.
    include: [...sharedInclude, 'scripts/*.node.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.browser.test.ts'],
    globalSetup: packageGlobalSetups,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
};

const browserProject: TestProjectInlineConfiguration = {
  plugins: [workspaceSources('browser')],
  server: { headers: crossOriginIsolationHeaders },
  optimizeDeps: { exclude: ['pyodide'] },
  test: {
    name: 'browser',
    include: ['packages/*/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.node.test.ts'],
    globalSetup: packageGlobalSetups,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    browser: {
      enabled: true,
      headless: true,
      screenshotFailures: false,
      provider: playwright({
        launchOptions: {
          executablePath: chromiumPath,
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
          ],
        },
      }),
      instances: [{ browser: 'chromium' }],
    },
  },
};

export default defineConfig({
  test: {
    projects: browserWanted && hasChromium ? [nodeProject, browserProject] : [nodeProject],
  },
});
