import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, horizontalOverflow, launchChromium, openPage, screenshot } from './e2e-browser.ts';
import { startTestServer, type TestServer } from './harness.ts';

const phone = { width: 390, height: 844 };
const tabs = ['chat', 'knowledge', 'python', 'agents', 'compare', 'rooms', 'monitoring'];

describe.runIf(hasChromium)('signing in, and the UI on a 390 px wide phone (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in when the token link is pasted into a tab that shows the sign-in screen', async () => {
    const { page, errors } = await openPage(browser);
    await page.goto(`${server.url}/`);
    await page.waitForSelector('#signin:not([hidden])');
    // Same page, new hash: the browser does not reload, so the page must notice the token itself.
    await page.goto(`${server.url}/#token=${server.token}`);
    await page.waitForSelector('#connection-state.online');
    expect(await page.isHidden('#signin')).toBe(true);
    expect(await page.isVisible('#tab-chat')).toBe(true);
    expect(page.url()).not.toContain('token');
    expect(errors).toEqual([]);
  });

  it('accepts the whole token link pasted into the sign-in field', async () => {
    const { page } = await openPage(browser);
    await page.goto(`${server.url}/`);
    await page.fill('#signin-token', `  ${server.url}/#token=${server.token} `);
    await page.click('#signin-form button[type="submit"]');
    await page.waitForSelector('#connection-state.online');
    expect(await page.isHidden('#signin')).toBe(true);
  });

  it('says so when the token is wrong, and says where the token comes from', async () => {
    const { page } = await openPage(browser);
    await page.goto(`${server.url}/#token=not-the-token`);
    await page.waitForSelector('#signin:not([hidden]) #signin-error:not(:empty)');
    expect(await page.textContent('#signin-error')).toContain('token');
    const help = (await page.textContent('#signin')) ?? '';
    expect(help).toContain('npm start');
    expect(help).toContain('.data/token');
    expect(help).toContain('AGENTICGEN_TOKENS');
    await screenshot(page, 'signin');
  });

  describe('at 390 px', () => {
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
      await server.api('/api/knowledge/documents', {
        method: 'POST',
        json: {
          name: 'a-document-with-a-rather-long-file-name-for-a-phone-screen.md',
          content: 'Keepers trimmed the lamp wick every four hours, which is why they were called wickies.',
        },
      });
      ({ page, errors } = await openPage(browser, phone));
      await page.goto(`${server.url}/#token=${server.token}`);
      await page.waitForSelector('#connection-state.online');
    });

    it('fits every screen in the width: no sideways scrolling of the page', async () => {
      await page.fill(
        '#chat-input',
        'Why were keepers called wickies? https://example.com/a/very/long/unbroken/link/text',
      );
      await page.click('#chat-send');
      await page.waitForSelector('.message.assistant[data-state="done"]');
      for (const tab of tabs) {
        await page.click(`[data-tab="${tab}"]`);
        await page.waitForSelector(`#tab-${tab}:not([hidden])`);
        if (tab === 'knowledge') await page.waitForSelector('#documents tr');
        if (tab === 'agents') await page.waitForSelector('#agents-list tr');
        if (tab === 'monitoring') await page.waitForSelector('#chart-requests .uplot');
        expect(await horizontalOverflow(page), tab).toBe(0);
        // Every tab button can be reached (the tab bar scrolls on its own, not the page).
        expect(await page.locator(`[data-tab="${tab}"]`).isVisible(), tab).toBe(true);
      }
      await page.click('[data-tab="chat"]');
      await screenshot(page, 'phone-chat');
      await page.click('[data-tab="monitoring"]');
      await screenshot(page, 'phone-monitoring', { inDocs: false });
      expect(errors).toEqual([]);
    });
  });
});
