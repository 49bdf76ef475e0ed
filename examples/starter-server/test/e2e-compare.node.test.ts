import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, openPage, screenshot } from './e2e-browser.ts';
import { startFakeOpenAI } from './fake-openai.ts';
import { startTestServer, type TestServer } from './harness.ts';

describe.runIf(hasChromium)('model comparison end to end (Chromium)', () => {
  let fake: Awaited<ReturnType<typeof startFakeOpenAI>>;
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    // Two models to compare: a provider (a local OpenAI-compatible server) and the offline demo model.
    fake = await startFakeOpenAI();
    server = await startTestServer({ environment: { OPENAI_BASE_URL: fake.baseURL, AGENTICGEN_MODEL: 'fake-llm' } });
    browser = await launchChromium();
    ({ page, errors } = await openPage(browser));
    await page.goto(`${server.url}/#token=${server.token}`);
    await page.waitForSelector('#connection-state.online');
    await page.click('[data-tab="compare"]');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await new Promise((resolve) => fake?.server.close(resolve));
  });

  it('offers every configured model, all checked', async () => {
    await page.waitForSelector('#compare-models input');
    const models = await page
      .locator('#compare-models input')
      .evaluateAll((inputs) =>
        inputs.map((input) => [(input as HTMLInputElement).value, (input as HTMLInputElement).checked]),
      );
    expect(models).toEqual([
      [`OpenAI-compatible fake-llm at ${fake.baseURL}`, true],
      ['offline demo model', true],
    ]);
  });

  it('runs one prompt on each model and shows the table and a chart of their latencies', async () => {
    await page.fill('#compare-prompt', 'Say hello.');
    await page.click('#compare-run');
    await page.waitForSelector('#compare-results tr[data-model="offline demo model"]');
    const rows = page.locator('#compare-results tr');
    expect(await rows.count()).toBe(2);
    const fakeRow = page.locator(`#compare-results tr[data-model="OpenAI-compatible fake-llm at ${fake.baseURL}"]`);
    expect(await fakeRow.textContent()).toContain('Hello from the fake LLM.');
    expect(await fakeRow.locator('td[data-figure="tokens"]').textContent()).toBe('21 / 9');
    expect(await fakeRow.locator('td[data-figure="latency"]').textContent()).toMatch(/^\d+ ms$/);
    // The chart: one group per model, a bar for first token and one for the total.
    expect(await page.isVisible('#compare-chart .uplot')).toBe(true);
    expect(Number(await page.getAttribute('#compare-chart', 'data-points'))).toBe(4);
    expect(await page.locator('#compare-chart .u-legend .u-label').allTextContents()).toEqual([
      'First token (ms)',
      'Total (ms)',
    ]);
    await screenshot(page, 'compare');
  });

  it('compares only the models checked', async () => {
    await page.uncheck('#compare-models input[value="offline demo model"]');
    await page.click('#compare-run');
    await page.waitForFunction(() => document.querySelectorAll('#compare-results tr').length === 1);
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(await page.locator('#compare-results tr').getAttribute('data-model')).toContain('fake-llm');
    expect(errors).toEqual([]);
  });
});
