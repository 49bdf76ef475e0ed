/**
 * What PGlite costs a web page, against the IndexedDB driver: the bytes a page downloads (raw and gzip -9, from
 * the files a bundler ships: PGlite's JS, WebAssembly and data files; the bundled IndexedDB driver) and, in
 * Chromium, the time from a cold start (new browser context: no HTTP cache, a new IndexedDB database) and a warm
 * start (existing database) to a first write and read. The IndexedDB side times the same open/write/read on the
 * raw IndexedDB API.
 * Writes bench/browser-load.json. Run with `npm run bench:browser -w packages/store`.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { chromium } from 'playwright';

const trials = 5;
const directory = mkdtempSync(join(tmpdir(), 'agenticgen-browser-load-'));
const pgliteDist = fileURLToPath(new URL('../../../node_modules/@electric-sql/pglite/dist/', import.meta.url));

const pglitePage = `
import { PGlite } from '@electric-sql/pglite';
window.openPglite = async (name) => {
  const started = performance.now();
  const db = await PGlite.create('idb://' + name);
  const opened = performance.now();
  await db.exec('CREATE TABLE IF NOT EXISTS m (id serial PRIMARY KEY, body jsonb)');
  await db.query('INSERT INTO m (body) VALUES ($1)', [JSON.stringify({ role: 'user', content: 'hi' })]);
  await db.query('SELECT body FROM m ORDER BY id DESC LIMIT 50');
  const done = performance.now();
  await db.close();
  return { openMs: opened - started, firstQueriesMs: done - opened, totalMs: done - started };
};`;
const indexedDbPage = `
window.openIndexedDb = async (name) => {
  const started = performance.now();
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore('m', { autoIncrement: true });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const opened = performance.now();
  await new Promise((resolve, reject) => {
    const tx = db.transaction('m', 'readwrite');
    tx.objectStore('m').add({ role: 'user', content: 'hi' });
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  await new Promise((resolve, reject) => {
    const request = db.transaction('m').objectStore('m').openCursor(null, 'prev');
    let seen = 0;
    request.onsuccess = () => (request.result && ++seen < 50 ? request.result.continue() : resolve(seen));
    request.onerror = () => reject(request.error);
  });
  const done = performance.now();
  db.close();
  return { openMs: opened - started, firstQueriesMs: done - opened, totalMs: done - started };
};`;

const indexedDbDriver = `export { createIndexedDbStore } from ${JSON.stringify(fileURLToPath(new URL('../src/drivers/indexeddb.ts', import.meta.url)))};`;
// Entries resolve packages from this package's folder, as an application's bundler would.
const bundle = (contents: string, out: string) =>
  build({
    stdin: { contents, resolveDir: fileURLToPath(new URL('..', import.meta.url)), loader: 'ts' },
    outfile: join(directory, out),
    bundle: true,
    minify: true,
    // Core from its sources (no build needed); its package.json still marks it side-effect free for tree-shaking.
    alias: { '@agenticgen/core': fileURLToPath(new URL('../../core/src/index.ts', import.meta.url)) },
    format: 'esm',
    platform: 'browser',
    // PGlite reaches Node modules only on its Node path; browser bundlers replace them by empty modules too.
    plugins: [
      {
        name: 'empty-node-modules',
        setup(builder) {
          builder.onResolve({ filter: /^(node:.*|fs|path|crypto|url|module|fs\/promises)$/ }, (args) => ({
            path: args.path,
            namespace: 'empty',
          }));
          builder.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({
            contents: 'module.exports = {};',
            loader: 'js',
          }));
        },
      },
    ],
    logLevel: 'error',
  });
await bundle(pglitePage, 'pglite.js');
await bundle(indexedDbPage, 'idb.js');
await bundle(indexedDbDriver, 'indexeddb-driver.js');
for (const asset of ['pglite.wasm', 'pglite.data', 'initdb.wasm']) {
  copyFileSync(join(pgliteDist, asset), join(directory, asset));
}

const sizeOf = (file: string) => {
  const bytes = readFileSync(join(directory, file));
  return { raw: statSync(join(directory, file)).size, gzip: gzipSync(bytes, { level: 9 }).length };
};
const pgliteFiles = ['pglite.js', 'pglite.wasm', 'pglite.data', 'initdb.wasm'].map((file) => ({
  file,
  ...sizeOf(file),
}));
const sizes = {
  pglite: {
    files: pgliteFiles,
    raw: pgliteFiles.reduce((sum, file) => sum + file.raw, 0),
    gzip: pgliteFiles.reduce((sum, file) => sum + file.gzip, 0),
  },
  indexedDbDriver: {
    file: 'indexeddb-driver.js (createIndexedDbStore with the core helpers it uses)',
    ...sizeOf('indexeddb-driver.js'),
  },
};

const types: Record<string, string> = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };
const server = createServer((request, response) => {
  const path = request.url === '/' ? '/index.html' : (request.url ?? '/');
  try {
    const body =
      path === '/index.html'
        ? '<!doctype html><script type="module" src="/pglite.js"></script><script type="module" src="/idb.js"></script>'
        : readFileSync(join(directory, path.slice(1)));
    response.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' });
    response.end(body);
  } catch {
    response.writeHead(404).end();
  }
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address();
const origin = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
const median = (values: number[]) =>
  Number(([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0).toFixed(1));
type Timing = { openMs: number; firstQueriesMs: number; totalMs: number };
const samples: Record<string, Timing[]> = {
  'pglite-cold': [],
  'pglite-warm': [],
  'indexeddb-cold': [],
  'indexeddb-warm': [],
};
for (let trial = 0; trial < trials; trial++) {
  // A new context has an empty HTTP cache and its own storage: a first visit. The second page in it is a revisit.
  const context = await browser.newContext();
  for (const phase of ['cold', 'warm']) {
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('[page]', error.message));
    await page.goto(origin);
    await page.waitForFunction(() => 'openPglite' in window && 'openIndexedDb' in window);
    samples[`pglite-${phase}`]?.push(
      await page.evaluate(() => (window as never as { openPglite(name: string): Promise<Timing> }).openPglite('bench')),
    );
    samples[`indexeddb-${phase}`]?.push(
      await page.evaluate(() =>
        (window as never as { openIndexedDb(name: string): Promise<Timing> }).openIndexedDb('bench'),
      ),
    );
    await page.close();
  }
  await context.close();
}
await browser.close();
server.close();
rmSync(directory, { recursive: true, force: true });

const timings = Object.fromEntries(
  Object.entries(samples).map(([name, list]) => [
    name,
    {
      openMs: median(list.map((sample) => sample.openMs)),
      firstQueriesMs: median(list.map((sample) => sample.firstQueriesMs)),
      totalMs: median(list.map((sample) => sample.totalMs)),
    },
  ]),
);
const results = {
  date: new Date().toISOString(),
  browser: `Chromium (${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'}), localhost, ${trials} trials, medians`,
  sizes,
  timings,
};
writeFileSync(new URL('./browser-load.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
