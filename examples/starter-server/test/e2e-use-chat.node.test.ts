/**
 * The real client: a Vite + React page using `useChat` from `@ai-sdk/react` with its default transport, against
 * the starter server's `/api/ui/chat`, in Chromium.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../../test-support/redis-server.ts';
import { hasChromium, launchChromium, openPage } from './e2e-browser.ts';
import { startTestServer, type TestServer } from './harness.ts';
import { transfers, uiChatServices, wickiesDocument } from './ui-chat-fixture.ts';

const assistantText = (page: Page) => page.locator('[data-role="assistant"] .text').allTextContents();

describe.runIf(hasChromium)('useChat (@ai-sdk/react, default transport) against the starter server', () => {
  let server: TestServer;
  let vite: ViteDevServer;
  let vueVite: ViteDevServer;
  let vuePageUrl: string;
  const cacheDirs: string[] = [];
  const cacheDir = (name: string) => {
    const path = mkdtempSync(join(tmpdir(), `use-chat-${name}-`));
    cacheDirs.push(path);
    return path;
  };
  let browser: Browser;
  let pageUrl: string;

  beforeAll(async () => {
    server = await startTestServer({ services: uiChatServices() });
    const upload = await server.api('/api/knowledge/documents', { method: 'POST', json: wickiesDocument });
    expect(upload.status).toBe(201);
    const port = await freePort();
    vite = await createServer({
      configFile: false,
      root: new URL('./use-chat-page/', import.meta.url).pathname,
      // Each server its own dependency cache, with its dependencies declared up front: two servers sharing a
      // cache, or a dependency found late (which makes Vite reload the page), break a run.
      cacheDir: cacheDir('react'),
      optimizeDeps: { include: ['react', 'react-dom/client', '@ai-sdk/react', 'ai'] },
      logLevel: 'error',
      server: {
        host: '127.0.0.1',
        port,
        strictPort: true,
        proxy: { '/api': { target: server.url, changeOrigin: true } },
      },
    });
    await vite.listen();
    pageUrl = `http://127.0.0.1:${port}/`;
    const vuePort = await freePort();
    vueVite = await createServer({
      configFile: false,
      root: new URL('./use-chat-vue-page/', import.meta.url).pathname,
      cacheDir: cacheDir('vue'),
      optimizeDeps: { include: ['vue', '@ai-sdk/vue', 'ai'] },
      logLevel: 'error',
      define: {
        __VUE_OPTIONS_API__: 'true',
        __VUE_PROD_DEVTOOLS__: 'false',
        __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
      },
      server: {
        host: '127.0.0.1',
        port: vuePort,
        strictPort: true,
        proxy: { '/api': { target: server.url, changeOrigin: true } },
      },
    });
    await vueVite.listen();
    vuePageUrl = `http://127.0.0.1:${vuePort}/`;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await vite?.close();
    await vueVite?.close();
    for (const path of cacheDirs) rmSync(path, { recursive: true, force: true });
    await server?.close();
  });

  async function open(chat: string) {
    const opened = await openPage(browser);
    await opened.page.goto(`${pageUrl}?chat=${chat}&token=${server.token}`);
    await opened.page.waitForSelector('main[data-status="ready"]');
    return opened;
  }

  async function send(page: Page, text: string) {
    await page.fill('#input', text);
    await page.click('#send');
  }

  it('streams text, then a tool call with its output, with the model in the message metadata', async () => {
    const { page, context, errors } = await open('text-and-tool');
    await send(page, 'hello');
    await page.waitForSelector('main[data-status="ready"] [data-role="assistant"]');
    expect(await assistantText(page)).toEqual(['You said: hello']);
    expect(await page.getAttribute('[data-role="assistant"]', 'data-model')).toBe('scripted-model');

    await send(page, 'weather in Paris');
    const tool = page.locator('[data-tool="weather"][data-state="output-available"]');
    await tool.waitFor();
    expect(await tool.locator('.tool-input').textContent()).toBe('{"city":"Paris"}');
    expect(await tool.locator('.tool-output').textContent()).toBe('{"city":"Paris","celsius":21}');
    await page.waitForSelector('main[data-status="ready"]');
    expect((await assistantText(page)).at(-1)).toBe('Tool said [{"city":"Paris","celsius":21}].');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('round-trips a tool approval: approving resumes the run on the server', async () => {
    transfers.length = 0;
    const { page, context, errors } = await open('approval');
    await send(page, 'pay alice');
    await page.locator('[data-tool="transfer"][data-state="approval-requested"] .approve').click();
    await page.locator('[data-tool="transfer"][data-state="output-available"]').waitFor();
    expect(transfers).toEqual(['30 to alice']);
    await page.waitForSelector('main[data-status="ready"]');
    expect((await assistantText(page)).at(-1)).toBe('Tool said [{"sent":30,"to":"alice"}].');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows the cited sources', async () => {
    const { page, context } = await open('sources');
    await send(page, 'cite wickies');
    await page.locator('[data-source="1"]').waitFor();
    expect(await page.locator('.source').allTextContents()).toEqual(['wickies.md']);
    await context.close();
  });

  it('shows an error that happens mid-stream after the partial text', async () => {
    const { page, context } = await open('error');
    await send(page, 'fail now');
    await page.waitForSelector('main[data-status="error"]');
    expect(await page.locator('#error').textContent()).toBe('[server] the model provider failed');
    expect((await assistantText(page)).join('')).toMatch(/^This /);
    await context.close();
  });

  it('stop ends the answer in the page and cancels it on the server', async () => {
    const { page, context } = await open('stop');
    await send(page, 'slow please');
    await page.waitForFunction(
      () => (document.querySelector('[data-role="assistant"] .text')?.textContent ?? '').length > 30,
    );
    await page.click('#stop');
    await page.waitForSelector('main[data-status="ready"]');
    await vi.waitFor(async () => expect((await server.api('/api/ui/chat/stop/stream')).status).toBe(204));
    const text = (await assistantText(page)).join('');
    expect(text).not.toContain('word399');
    await context.close();
  });

  it('the same conversation through @ai-sdk/vue (smoke): text, then a tool call with its output', async () => {
    const { page, context, errors } = await openPage(browser);
    await page.goto(`${vuePageUrl}?chat=vue-smoke&token=${server.token}`);
    await page.waitForSelector('main[data-status="ready"]');
    await page.fill('#input', 'hello');
    await page.click('#send');
    await page.waitForSelector('main[data-status="ready"] [data-role="assistant"] .text');
    expect(await page.locator('[data-role="assistant"] .text').allTextContents()).toEqual(['You said: hello']);
    await page.fill('#input', 'weather in Paris');
    await page.click('#send');
    await page.locator('.tool[data-state="output-available"]').waitFor();
    expect(await page.locator('.tool').textContent()).toBe('{"city":"Paris","celsius":21}');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('reload mid-answer resumes the same answer to its end', async () => {
    const { page, context, errors } = await open('resume');
    await send(page, 'slow please');
    await page.waitForFunction(
      () => (document.querySelector('[data-role="assistant"] .text')?.textContent ?? '').length > 30,
    );
    await page.reload();
    await page.waitForFunction(
      () => (document.querySelector('[data-role="assistant"] .text')?.textContent ?? '').endsWith('word399'),
      undefined,
      { timeout: 30_000 },
    );
    const text = (await assistantText(page)).join('');
    expect(text.startsWith('word0 word1 word2')).toBe(true);
    expect(text.split(' ')).toHaveLength(400);
    expect(errors).toEqual([]);
    await context.close();
  });
});
