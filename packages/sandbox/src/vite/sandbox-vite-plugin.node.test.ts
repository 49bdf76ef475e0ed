import { afterEach, describe, expect, it } from 'vitest';
import { type AppPage, chromiumTestsEnabled, openApp, type ServedApp, serveApp } from '../testing/chromium-app.js';

let served: ServedApp | undefined;
let page: AppPage | undefined;

afterEach(async () => {
  await page?.close();
  await served?.close();
  page = undefined;
  served = undefined;
});

describe.runIf(chromiumTestsEnabled)('createSandboxVitePlugin', { timeout: 180_000 }, () => {
  for (const mode of ['dev', 'build'] as const) {
    it(`serves Pyodide and the isolation headers so a sandbox runs Python in \`vite ${mode === 'dev' ? 'dev' : 'build'}\``, async () => {
      served = await serveApp(mode);
      page = await openApp(served.url);
      expect(await page.evaluate('app.isolated')).toBe(true);
      const session = await page.evaluate<number>('app.newSession()');
      const result = JSON.parse(await page.evaluate<string>(`app.run(${session}, "sum(range(10))")`));
      expect(result.result?.repr).toBe('45');
    });
  }
});
