import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, openPage, screenshot } from './e2e-browser.ts';
import { startTestServer, type TestServer } from './harness.ts';

const charts = ['requests', 'latency', 'tokens', 'cache', 'sandbox', 'connections'];

describe.runIf(hasChromium)('monitoring charts end to end (Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    server = await startTestServer({ config: { metricsSampleMs: 250 } });
    browser = await launchChromium();
    ({ page, errors } = await openPage(browser));
    await page.goto(`${server.url}/#token=${server.token}`);
    await page.waitForSelector('#connection-state.online');
    await page.click('[data-tab="monitoring"]');
    await page.waitForFunction(
      () => Number(document.querySelector('#tab-monitoring')?.getAttribute('data-samples')) > 3,
    );
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('serves the charting library from the package, as a module with the UI’s security headers', async () => {
    const response = await fetch(`${server.url}/vendor/uplot/uPlot.esm.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/javascript');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('export { uPlot as default }');
    expect((await fetch(`${server.url}/vendor/uplot/uPlot.min.css`)).status).toBe(200);
    expect((await fetch(`${server.url}/vendor/uplot/../package.json`)).status).not.toBe(200);
  });

  it('draws every chart with uPlot, one legend entry per series in its own colour', async () => {
    for (const name of charts) {
      expect(await page.locator(`#chart-${name} .uplot canvas`).count(), name).toBe(1);
    }
    const latency = await page.locator('#chart-latency .u-legend .u-series').evaluateAll((rows) =>
      rows.slice(1).map((row) => ({
        label: row.querySelector('.u-label')?.textContent,
        colour: getComputedStyle(row.querySelector('.u-marker') as Element).borderColor,
      })),
    );
    expect(latency.map((series) => series.label)).toEqual(['p50', 'p95', 'p99']);
    expect(new Set(latency.map((series) => series.colour)).size).toBe(3);
    expect(await page.locator('#chart-connections .u-legend .u-series .u-label').allTextContents()).toEqual([
      'Time',
      'WebSocket connections',
      'Active runs',
    ]);
  });

  it('has a time axis: hovering a point shows the sample’s clock time', async () => {
    const plot = page.locator('#chart-requests .u-over');
    const box = await plot.boundingBox();
    if (box === null) throw new Error('the request chart has no plot area');
    await page.mouse.move(box.x + box.width - 4, box.y + box.height / 2);
    const time = page.locator('#chart-requests .u-legend .u-series').first().locator('.u-value');
    await page.waitForFunction(
      (element) => /\d{1,2}:\d{2}:\d{2}/.test(element?.textContent ?? ''),
      await time.elementHandle(),
    );
    const samples = (await (await server.api('/api/monitoring/history')).json()) as {
      samples: Array<{ time: number }>;
    };
    const [hours, minutes, seconds] = ((await time.textContent()) ?? '').split(':').map(Number);
    const shown = ((hours ?? 0) * 60 + (minutes ?? 0)) * 60 + (seconds ?? 0);
    const latest = new Date(samples.samples.at(-1)?.time ?? 0);
    const now = (latest.getHours() * 60 + latest.getMinutes()) * 60 + latest.getSeconds();
    // The hovered point is one of the latest samples (24-hour clock, local time, wrapping at midnight).
    expect((now - shown + 86_400) % 86_400).toBeLessThan(60);
  });

  it('updates the charts as samples arrive', async () => {
    const before = Number(await page.getAttribute('#chart-requests', 'data-last-time'));
    for (let index = 0; index < 5; index++) await server.api('/api/agents');
    await page.waitForFunction(
      (previous) => Number(document.querySelector('#chart-requests')?.getAttribute('data-last-time')) > previous,
      before,
    );
    expect(Number(await page.getAttribute('#chart-requests', 'data-points'))).toBeGreaterThan(0);
    await screenshot(page, 'monitoring');
    expect(errors).toEqual([]);
  });
});
