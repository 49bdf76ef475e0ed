/**
 * The starter's chat UI on core's framework-free client (`createChatClient`) against the server's UI message
 * stream route, in Chromium: tool approval, an error mid-stream, stop, and a reload mid-answer.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeDocxFixture } from '../../../packages/core/src/knowledge/loaders/testing/docx-fixture.ts';
import { makePdfFixture } from '../../../packages/core/src/knowledge/loaders/testing/pdf-fixture.ts';
import { hasChromium, launchChromium, openPage } from './e2e-browser.ts';
import { startTestServer, type TestServer } from './harness.ts';
import { transfers, uiChatServices } from './ui-chat-fixture.ts';

const docxType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const handbook = makePdfFixture({
  header: 'ACME Handbook',
  footer: 'Page {page}',
  pages: [['Refunds take five days.'], ['Gift cards are final.']],
});

describe.runIf(hasChromium)('the starter chat UI on createChatClient (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  const send = async (text: string) => {
    await page.fill('#chat-input', text);
    await page.click('#chat-send');
  };
  const lastAnswer = () => page.locator('.message.assistant').last();
  const chatId = () => page.evaluate(() => localStorage.getItem('agenticgen-chat-id') ?? '');

  beforeAll(async () => {
    server = await startTestServer({ services: uiChatServices() });
    browser = await launchChromium();
    ({ page, errors } = await openPage(browser));
    await page.goto(`${server.url}/#token=${server.token}`);
    await page.waitForSelector('#chat-log[data-thread="loaded"]');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('streams a tool call with its input and output', async () => {
    await send('weather in Paris');
    await page.waitForSelector('.message.assistant[data-state="done"] .answer:has-text("Tool said")');
    const tool = lastAnswer().locator('.tool[data-tool="weather"]');
    expect(await tool.getAttribute('data-state')).toBe('output-available');
    expect(await tool.locator('pre').first().textContent()).toContain('"city": "Paris"');
  });

  it('asks for approval in the page; approving runs the tool once and continues the answer', async () => {
    transfers.length = 0;
    await send('pay alice');
    const approve = page.locator('.tool[data-tool="transfer"][data-state="approval-requested"] button.approve');
    await approve.waitFor();
    expect(transfers).toEqual([]);
    await approve.click();
    await page.waitForSelector('.message.assistant[data-state="done"] .answer:has-text("sent")');
    expect(transfers).toEqual(['30 to alice']);
    expect(await lastAnswer().locator('.tool[data-tool="transfer"]').getAttribute('data-state')).toBe(
      'output-available',
    );
  });

  it('shows an error that happens mid-stream after the partial text', async () => {
    await send('fail please');
    await page.waitForSelector('.message.assistant[data-state="failed"]');
    expect(await lastAnswer().locator('.answer').textContent()).toContain('This answe');
    expect(await lastAnswer().locator('.meta').textContent()).toContain('the model provider failed');
  });

  it('Stop ends the answer in the page and cancels it on the server', async () => {
    await send('slow');
    await page.waitForSelector('.message.assistant[data-state="streaming"] .answer:has-text("word3")');
    await page.click('#chat-stop');
    await page.waitForSelector('#chat-stop:disabled');
    const id = await chatId();
    await vi.waitFor(async () => {
      expect((await server.api(`/api/ui/chat/${id}/stream`)).status).toBe(204);
    });
    expect(await lastAnswer().locator('.answer').textContent()).not.toContain('word399');
  });

  it('a reload mid-answer shows the thread and resumes the same answer to its end', async () => {
    await send('slow again');
    await page.waitForSelector('.message.assistant[data-state="streaming"] .answer:has-text("word3")');
    await page.reload();
    await page.waitForSelector('#chat-log[data-thread="loaded"]');
    await page.waitForSelector('.message.assistant[data-state="done"] .answer:has-text("word399")', {
      timeout: 20_000,
    });
    const users = await page.locator('.message.user').allTextContents();
    expect(users.at(-1)).toBe('slow again');
    // The resumed answer is shown once, not twice.
    expect(await page.locator('.message.assistant .answer:has-text("word399")').count()).toBe(1);
  });

  it('uploads a PDF and a Word file through the page; search shows the page and the heading', async () => {
    await page.click('[data-tab="knowledge"]');
    await page.setInputFiles('#upload-files', [
      { name: 'handbook.pdf', mimeType: 'application/pdf', buffer: Buffer.from(handbook) },
      { name: 'policy.docx', mimeType: docxType, buffer: Buffer.from(await makeDocxFixture()) },
    ]);
    await page.click('#upload-form button[type="submit"]');
    await page.waitForSelector('#documents tr:has-text("policy.docx")');
    expect(await page.locator('#documents tr:has-text("handbook.pdf")').textContent()).toContain('application/pdf');
    await page.fill('#search-query', 'gift cards final');
    await page.click('#search-form button[type="submit"]');
    const first = page.locator('#search-results li').first();
    await first.waitFor();
    expect(await first.locator('.source').textContent()).toBe('handbook.pdf');
    expect(await first.locator('.place').textContent()).toContain('page 2');
    await page.fill('#search-query', 'gift cards never refunded exceptions');
    await page.click('#search-form button[type="submit"]');
    await page.waitForSelector('#search-results li .place:has-text("Refund policy > Exceptions")');
    await page.click('[data-tab="chat"]');
  });

  it('logs no page or console errors on the way', () => {
    expect(errors).toEqual([]);
  });
});
