import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, openPage, screenshot } from './e2e-browser.ts';
import { startTestServer, type TestServer } from './harness.ts';

const lighthouses = `# Lighthouse keeping

The lighthouse at Cape Wrath was automated in 1998, after which no keeper lived on the headland.

Keepers trimmed the lamp wick every four hours during the night, which is why they were called wickies.`;

const bread = `# Sourdough

A sourdough starter is flour and water fermented by wild yeast and lactic acid bacteria.

Bakers feed the starter every day, discarding half of it before adding fresh flour.`;

/** Asks in the chat and waits for the answer to finish; returns its locator. */
async function ask(page: Page, question: string) {
  const before = await page.locator('.message.assistant').count();
  await page.fill('#chat-input', question);
  await page.click('#chat-send');
  await page.waitForFunction(
    (count) => document.querySelectorAll('.message.assistant[data-state="done"]').length > count,
    before,
    { timeout: 20_000 },
  );
  return page.locator('.message.assistant').nth(before);
}

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

describe.runIf(hasChromium)('chat end to end (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
    ({ page, errors } = await openPage(browser));
    await page.goto(`${server.url}/#token=${server.token}`);
    await page.waitForSelector('#connection-state.online');
    await page.waitForSelector('#chat-log[data-thread="loaded"]');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('search says "no matches" when the knowledge base has nothing to return', async () => {
    await page.click('[data-tab="knowledge"]');
    await page.fill('#search-query', 'lamp wick');
    await page.click('#search-form button[type="submit"]');
    await page.waitForSelector('#search-results li:has-text("no matches")');
  });

  it('lists as sources exactly the passages the answer quotes, each under its own number', async () => {
    for (const [name, content] of [
      ['lighthouses.md', lighthouses],
      ['sourdough.md', bread],
    ] as const) {
      await page.setInputFiles('#upload-files', { name, mimeType: 'text/markdown', buffer: Buffer.from(content) });
      await page.click('#upload-form button[type="submit"]');
      await page.waitForSelector(`#documents tr:has-text("${name}")`);
    }
    await page.click('[data-tab="chat"]');
    const answer = await ask(page, 'Why were lighthouse keepers called wickies?');
    const quotes = await answer.locator('.answer blockquote').allTextContents();
    const sources = answer.locator('.sources li');
    expect(quotes.length).toBeGreaterThan(0);
    expect(await sources.count()).toBe(quotes.length);
    for (const [index, quote] of quotes.entries()) {
      const number = /\[(\d+)\]\s*$/.exec(quote)?.[1];
      expect(number).toBe(String(index + 1));
      const source = sources.nth(index);
      expect(await source.locator('.cite').textContent()).toBe(`[${number}]`);
      // The passage listed under [n] is the one quoted with [n].
      const quoted = normalise(quote.replace(/\[\d+\]\s*$/, '').replace(/…$/, ''));
      expect(normalise((await source.getAttribute('title')) ?? '')).toContain(quoted);
    }
    expect(await sources.first().textContent()).toContain('lighthouses.md');
    expect(await answer.locator('.sources').textContent()).not.toContain('sourdough.md');
  });

  it('search says "no matches" for words no document has, once documents are loaded (relevance floor)', async () => {
    await page.click('[data-tab="knowledge"]');
    await page.fill('#search-query', 'xylophone quasar marmalade');
    await page.click('#search-form button[type="submit"]');
    await page.waitForSelector('#search-results li:has-text("no matches")');
    await page.fill('#search-query', 'lamp wick');
    await page.click('#search-form button[type="submit"]');
    await page.waitForSelector('#search-results li:has-text("lighthouses.md")');
    await page.click('[data-tab="chat"]');
  });

  it('shows no sources under an answer that says the knowledge base has nothing on the question', async () => {
    const answer = await ask(page, 'How do volcanoes erupt?');
    expect(await answer.locator('.answer').textContent()).toContain('nothing on that');
    // The search still ran and returned its nearest passages: they are not presented as sources.
    expect(await answer.locator('.tool[data-tool="search_knowledge"]').count()).toBe(1);
    expect(await answer.locator('.sources li').count()).toBe(0);
    expect(await answer.locator('.sources').isVisible()).toBe(false);
    await screenshot(page, 'chat-citations');
  });

  it('keeps the conversation across a reload, and the next question continues it', async () => {
    // What a reader sees: the questions, the answers, their sources and figures, from the server's thread.
    const shown = () =>
      page.locator('#chat-log .message.user, #chat-log .answer, #chat-log .sources, #chat-log .meta').allTextContents();
    const before = await shown();
    expect(before).toHaveLength(2 + 3 * 2);
    await page.reload();
    await page.waitForSelector('#chat-log[data-thread="loaded"]');
    expect(await shown()).toEqual(before);
    const first = page.locator('.message.assistant').first();
    expect(await first.locator('.sources li').count()).toBe(1);
    expect(await first.locator('.sources li').first().textContent()).toContain('lighthouses.md');
    expect(await first.locator('.tool[data-tool="search_knowledge"]').count()).toBe(1);

    // The thread came from the server; the next question is sent with it (the UI message stream protocol).
    await page.evaluate(() => {
      const sent: unknown[] = [];
      (window as unknown as { sentBodies: unknown[] }).sentBodies = sent;
      const original = window.fetch;
      window.fetch = (input, init) => {
        if (String(input).endsWith('/api/ui/chat') && typeof init?.body === 'string') sent.push(JSON.parse(init.body));
        return original(input, init);
      };
    });
    await ask(page, 'When was Cape Wrath automated?');
    const bodies = await page.evaluate(() => (window as unknown as { sentBodies: unknown[] }).sentBodies);
    const body = bodies[0] as { messages: Array<{ role: string; parts: Array<{ type: string; text?: string }> }> };
    expect(body.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant', 'user']);
    expect(body.messages[0]?.parts[0]?.text).toBe('Why were lighthouse keepers called wickies?');
  });

  it('"New chat" empties the thread, also after a reload', async () => {
    await page.click('#chat-new');
    expect(await page.locator('#chat-log .message').count()).toBe(0);
    await page.reload();
    await page.waitForSelector('#chat-log[data-thread="loaded"]');
    expect(await page.locator('#chat-log .message').count()).toBe(0);
  });

  it('logs no page or console errors on the way', () => {
    expect(errors).toEqual([]);
  });
});
