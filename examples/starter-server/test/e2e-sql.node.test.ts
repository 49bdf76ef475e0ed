import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, openPage, screenshot } from './e2e-browser.ts';
import { startTestServer, type TestServer } from './harness.ts';

/** A SQLite database with two tables, none of them named after the file. */
function sqliteWithTwoTables(): Buffer {
  const folder = mkdtempSync(join(tmpdir(), 'agenticgen-sql-'));
  const path = join(folder, 'shop.sqlite');
  const database = new DatabaseSync(path);
  database.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);
    INSERT INTO customers (name) VALUES ('Ada'), ('Grace');
    CREATE TABLE orders (id INTEGER PRIMARY KEY, customer INTEGER, total REAL);
    INSERT INTO orders (customer, total) VALUES (1, 12.5), (2, 7.25), (1, 3);`);
  database.close();
  const bytes = readFileSync(path);
  rmSync(folder, { recursive: true, force: true });
  return bytes;
}

// Generous timeouts: the first SQL run waits for the Pyodide pool to warm up on a cold machine.
describe.runIf(hasChromium)('SQL screen end to end (Chromium)', { timeout: 120_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let sandboxAvailable = false;

  beforeAll(async () => {
    server = await startTestServer({ services: { sandbox: true } });
    browser = await launchChromium();
    ({ page } = await openPage(browser));
    await page.goto(`${server.url}/#token=${server.token}`);
    await page.waitForSelector('#connection-state.online');
    await page.click('[data-tab="python"]');
    const sandbox = server.app.context.services.features.sandbox;
    sandboxAvailable = sandbox?.available === true;
    if (!sandboxAvailable) console.warn(`\n!!! [test] SQL screen SKIPPED: sandbox unavailable (${sandbox?.detail})\n`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('lists the table of an uploaded CSV and the offered query runs as it is', async () => {
    if (!sandboxAvailable) return;
    await page.setInputFiles('#data-file', {
      name: 'sales-2024.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('region,amount\nnorth,120\nsouth,80\n'),
    });
    await page.click('#data-form button[type="submit"]');
    await page.waitForSelector('#sql-tables [data-table="sales_2024"]', { timeout: 90_000 });
    // The query offered is the one the user can run without editing it.
    expect(await page.inputValue('#sql-query')).toContain('"sales_2024"');
    await page.click('#sql-run');
    await page.waitForSelector('#sql-output table');
    expect(await page.locator('#sql-output th').allTextContents()).toEqual(['region', 'amount']);
    expect(await page.locator('#sql-output tr:has(td)').count()).toBe(2);
    expect(await page.textContent('#sql-output')).not.toContain('no such table');
  });

  it('lists every table of a SQLite file, and a click on one queries it', async () => {
    if (!sandboxAvailable) return;
    await page.setInputFiles('#data-file', {
      name: 'shop.sqlite',
      mimeType: 'application/octet-stream',
      buffer: sqliteWithTwoTables(),
    });
    await page.click('#data-form button[type="submit"]');
    await page.waitForSelector('#sql-tables [data-table="orders"]', { timeout: 60_000 });
    expect(
      await page.locator('#sql-tables [data-table]').evaluateAll((items) => items.map((item) => item.textContent)),
    ).toEqual(['customers', 'orders']);
    expect(await page.inputValue('#data-files')).toBe('shop.sqlite');
    await page.click('#sql-tables [data-table="orders"]');
    await page.waitForSelector('#sql-output table:has(th:text("total"))');
    expect(await page.inputValue('#sql-query')).toBe('SELECT * FROM "orders" LIMIT 10');
    expect(await page.locator('#sql-output tr:has(td)').count()).toBe(3);
    await screenshot(page, 'sql');

    // Picking the CSV again brings back its own table.
    await page.selectOption('#data-files', 'sales-2024.csv');
    await page.waitForSelector('#sql-tables [data-table="sales_2024"]');
    expect(await page.inputValue('#sql-query')).toContain('"sales_2024"');
  });
});
