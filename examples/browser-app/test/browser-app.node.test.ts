import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeServer, startOpenAIServer } from '../../../packages/adapters/src/testing/fake-servers/index.ts';

/**
 * End to end: builds the app with Vite (the packages' browser builds from dist/, as users get them), serves it as
 * plain static files with COOP/COEP from node:http, and drives it in Chromium.
 */
const appDirectory = fileURLToPath(new URL('..', import.meta.url));
const artifacts = fileURLToPath(new URL('../../../test-artifacts/browser-app/', import.meta.url));
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const onCi = process.env.CI === 'true' || process.env.CI === '1';
const hasChromium = existsSync(chromiumPath);
if (!hasChromium && onCi) {
  throw new Error(
    `[browser-app] Chromium not found at ${chromiumPath}; CI must run this test. Install chromium or set CHROMIUM_PATH.`,
  );
}
if (!hasChromium)
  console.warn(`!!! [browser-app] Chromium not found at ${chromiumPath}: the end-to-end test is SKIPPED.`);

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.zip': 'application/zip',
};

/** A static file server with the cross-origin isolation headers any host of the app must send. */
function serveStatic(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const file = normalize(join(root, path.endsWith('/') ? `${path}index.html` : path));
    try {
      if (!file.startsWith(root + sep) || !(await stat(file)).isFile()) throw new Error('not found');
      response.writeHead(200, {
        'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
        'Cross-Origin-Resource-Policy': 'same-origin',
      });
      response.end(await readFile(file));
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }),
    ),
  );
}

/** Text as the user sees it: Playwright's `Locator.innerText()`, not the DOM property the lint rule is about. */
// biome-ignore lint/performance/useDomNodeTextContent: this is Playwright's Locator API
const visibleText = (locator: Locator) => locator.innerText();

const tides = [
  'Ocean tides are caused by the gravitational pull of the Moon and, to a lesser degree, the Sun.',
  'Most coasts see two high tides and two low tides every lunar day of about 24 hours and 50 minutes.',
  'Spring tides, with the largest range, happen when the Sun, Moon and Earth line up at new and full moon.',
].join(' ');
const sourdough = [
  'Sourdough bread rises thanks to a starter: wild yeast and lactic acid bacteria living in flour and water.',
  'The bacteria produce lactic and acetic acid, which give the loaf its sour taste and help it keep longer.',
].join(' ');

describe.skipIf(!hasChromium)('browser app (built with Vite, served as static files, in Chromium)', () => {
  let outDir: string;
  let server: Server | undefined;
  let url: string;
  let browser: Browser | undefined;
  let openai: FakeServer | undefined;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'agenticgen-browser-app-'));
    await build({
      root: appDirectory,
      configFile: join(appDirectory, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    // The bundle holds the packages' browser builds: none of their Node-only parts (LanceDB, Redis, the sandbox's
    // child process and worker threads, the file system) may be in it.
    const assets = join(outDir, 'assets');
    const code = await Promise.all(
      (await readdir(assets))
        .filter((name) => name.endsWith('.js'))
        .map((name) => readFile(join(assets, name), 'utf8')),
    );
    // A module is reached through its quoted specifier (`import("ioredis")`, `from "node:fs"`); the same word in
    // prose (an error code's meaning names the `ioredis` peer) is not an import.
    for (const nodeOnly of ['@lancedb/lancedb', 'ioredis', 'node:child_process', 'node:worker_threads', 'node:fs']) {
      expect(
        code.some((chunk) => chunk.includes(`"${nodeOnly}"`) || chunk.includes(`'${nodeOnly}'`)),
        nodeOnly,
      ).toBe(false);
    }
    ({ server, url } = await serveStatic(outDir));
    openai = await startOpenAIServer();
    await mkdir(artifacts, { recursive: true });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    // Nothing may leave the machine: the app is meant to work with no server beyond its static files.
    await context.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => {
      pageErrors.push(`request outside 127.0.0.1: ${route.request().url()}`);
      return route.abort();
    });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await openai?.close();
    await new Promise((resolve) => (server === undefined ? resolve(undefined) : server.close(resolve)));
    if (outDir !== undefined) await rm(outDir, { recursive: true, force: true });
  });

  const ask = async (question: string) => {
    const before = await page.getByTestId('answer').count();
    await page.getByTestId('chat-input').fill(question);
    await page.getByTestId('chat-send').click();
    const answer = page.getByTestId('answer').nth(before);
    await expect.poll(() => answer.getAttribute('data-state'), { timeout: 60_000 }).not.toBe('running');
    expect(await answer.getAttribute('data-state')).toBe('done');
    return answer;
  };
  const metric = (id: string) => visibleText(page.getByTestId(`metric-${id}`));

  it('keeps knowledge and cached answers across a reload, answers with citations, runs Python and shows metrics', async () => {
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    expect(await visibleText(page.getByTestId('isolation'))).toBe('cross-origin isolated');
    expect(await visibleText(page.getByTestId('model-status'))).toContain('offline demo model');

    // Add two documents.
    for (const [title, content] of [
      ['Ocean tides', tides],
      ['Sourdough baking', sourdough],
    ] as const) {
      await page.getByTestId('document-title').fill(title);
      await page.getByTestId('document-content').fill(content);
      await page.getByTestId('document-add').click();
      await expect.poll(() => visibleText(page.getByTestId('document-status'))).toContain(`Added "${title}"`);
    }
    expect(await visibleText(page.getByTestId('document-list'))).toMatch(/Ocean tides[\s\S]*Sourdough baking/);
    // Files can be uploaded too (Markdown is chunked by headings).
    await page.getByTestId('document-file').setInputFiles({
      name: 'glossary.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from('# Glossary\n\n## Neap tide\n\nA neap tide has the smallest range, at the quarter moons.\n'),
    });
    await expect.poll(() => visibleText(page.getByTestId('document-status'))).toContain('Added "glossary.md"');

    // Hybrid search over the HNSW index ranks the right document first.
    await page.getByTestId('search-query').fill('what causes the tides of the ocean');
    await page.getByTestId('search-submit').click();
    await expect
      .poll(() => visibleText(page.getByTestId('search-results').locator('li').first()))
      .toContain('[ocean-tides#0] Ocean tides');

    // The offline demo model quotes the best passage and cites it; core's citationsOf confirms the ref.
    const first = await ask('What causes ocean tides?');
    expect(await visibleText(first.getByTestId('answer-text'))).toContain('gravitational pull of the Moon');
    expect(await visibleText(first.getByTestId('answer-text'))).toContain('Offline demo model');
    expect(await visibleText(first.getByTestId('citations'))).toContain('[ocean-tides#0] Ocean tides');
    // Only passages that match the question are quoted: the sourdough chunk was retrieved too, but not cited.
    expect(await visibleText(first.getByTestId('answer-text'))).not.toContain('Sourdough');
    expect(await visibleText(first.getByTestId('citations'))).not.toContain('sourdough');
    expect(await first.getAttribute('data-cache')).toBe('miss');
    await expect.poll(() => metric('agent-runs')).toBe('1');
    expect(await metric('model-calls')).toBe('2');
    expect(await metric('tool-calls')).toBe('search_knowledge 1');
    expect(await metric('cache')).toBe('0 / 2');

    // Python runs in the Pyodide sandbox (a worker in a sandboxed iframe).
    await page.waitForSelector('body[data-python="ready"]', { timeout: 90_000 });
    const python = await ask('```python\nimport math\nprint("sum is", sum(range(10)))\nmath.factorial(6)\n```');
    expect(await visibleText(python.getByTestId('python-output'))).toContain('sum is 45');
    expect(await visibleText(python.getByTestId('python-output'))).toContain('720');
    expect(await visibleText(python.getByTestId('answer-text'))).toContain('sum is 45');
    await expect.poll(() => metric('sandbox-runs')).toBe('1 (0)');
    expect(await metric('tool-calls')).toBe('search_knowledge 1, run_python 1');
    await page.getByText('Prometheus exposition').click();
    await expect
      .poll(() => visibleText(page.getByTestId('metrics-exposition')))
      .toMatch(/gen_ai_client_operation_duration_seconds_count\{[^}]*gen_ai_provider_name="demo"[^}]*\} 4/);
    await page.screenshot({ path: join(artifacts, '1-before-reload.png'), fullPage: true });

    // Reload: the documents, the HNSW index and the cached answers come back from IndexedDB.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    expect(await visibleText(page.getByTestId('document-list'))).toMatch(
      /Ocean tides[\s\S]*Sourdough baking[\s\S]*glossary\.md/,
    );
    await expect
      .poll(() => visibleText(page.getByTestId('knowledge-restored')))
      .toContain('restored at start-up: 3 documents');
    await page.getByTestId('search-query').fill('sour taste of the loaf');
    await page.getByTestId('search-submit').click();
    await expect
      .poll(() => visibleText(page.getByTestId('search-results').locator('li').first()))
      .toContain('[sourdough-baking#');

    const again = await ask('What causes ocean tides?');
    expect(await visibleText(again.getByTestId('answer-text'))).toContain('gravitational pull of the Moon');
    expect(await visibleText(again.getByTestId('citations'))).toContain('[ocean-tides#0] Ocean tides');
    expect(await again.getAttribute('data-cache')).toBe('hit');
    expect(await visibleText(again.getByTestId('answer-meta'))).toContain('answered from the IndexedDB cache');
    await expect.poll(() => metric('cache')).toBe('2 / 0');
    await page.screenshot({ path: join(artifacts, '2-after-reload.png'), fullPage: true });

    // A model choice with a missing field is a clear error in the panel, not a broken page.
    await page.getByTestId('model-kind').selectOption('key');
    await page.getByTestId('model-apply').click();
    expect(await visibleText(page.getByTestId('model-status'))).toContain(
      'invalid-config: [browser-app] an API key is needed',
    );

    // A proxy URL: the openai SDK in the page talks to an OpenAI-compatible endpoint (the adapters' fake OpenAI
    // server, speaking the real wire protocol, stands in for the user's proxy).
    await page.getByTestId('model-kind').selectOption('proxy');
    await page.getByTestId('model-proxy').fill(`${openai?.url}/v1`);
    await page.getByTestId('model-id').fill('gpt-4.1-mini');
    await page.getByTestId('model-apply').click();
    expect(await visibleText(page.getByTestId('model-status'))).toBe('Using openai-compatible · gpt-4.1-mini');
    const proxied = await ask('Say hello');
    expect(await visibleText(proxied.getByTestId('answer-text'))).toBe('Hello, wörld! 👋 Streaming works.');
    await expect.poll(() => metric('model-calls')).toBe('3');

    // Forgetting the documents removes them from IndexedDB too.
    await page.getByTestId('knowledge-reset').click();
    await expect.poll(() => visibleText(page.getByTestId('document-list'))).toBe('No documents yet.');
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    expect(await visibleText(page.getByTestId('document-list'))).toBe('No documents yet.');
    await expect.poll(() => visibleText(page.getByTestId('knowledge-restored'))).toContain('HNSW index: 0 vectors');

    expect(pageErrors).toEqual([]);
  }, 180_000);
});
