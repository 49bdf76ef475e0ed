// Browser half of the release check (called by release-check.mjs with the consumer project that installed the
// tarballs): builds scripts/release-page with Vite from <consumer>/page, proves every @agenticgen module in the
// bundle came from <consumer>/node_modules (the tarballs, browser entries) and nothing from the workspace,
// serves the build as static files with COOP/COEP on 127.0.0.1, runs the page's smoke test in Chromium (the
// Pyodide sandbox worker included) while refusing any request that leaves 127.0.0.1, then enforces the size
// budget against the same installed packages.
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The files @agenticgen/sandbox's browser build fetches from `indexURL` (docs/sandbox.md, `loadFile`). */
const pyodideFiles = ['pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json', 'pyodide.mjs', 'pyodide.asm.mjs'];
const packageNames = ['core', 'cache', 'metrics', 'vector', 'sandbox', 'adapters'];
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
const contentTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.map': 'application/json',
};
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const smokeTimeoutMs = 240_000;

/** Copies Pyodide's files, as installed in the consumer, into the build under `pyodide/`, unhashed. */
function emitPyodide(pyodideDirectory) {
  return {
    name: 'release-check-emit-pyodide',
    generateBundle() {
      for (const name of pyodideFiles) {
        this.emitFile({
          type: 'asset',
          fileName: `pyodide/${name}`,
          source: readFileSync(join(pyodideDirectory, name)),
        });
      }
    },
  };
}

/** Records the id of every module that goes into the bundle, to check where each one was resolved from. */
function recordModules(ids) {
  return {
    name: 'release-check-record-modules',
    transform(_code, id) {
      ids.add(id);
      return null;
    },
  };
}

async function buildPage({ consumer, root }) {
  const vitePath = join(root, 'node_modules', 'vite', 'dist', 'node', 'index.js');
  const { build } = await import(pathToFileURL(vitePath).href);
  const consumerRequire = createRequire(join(consumer, 'package.json'));
  const pyodideDirectory = dirname(consumerRequire.resolve('pyodide/package.json'));
  const outDir = join(consumer, 'page-dist');
  const ids = new Set();
  await build({
    root: join(consumer, 'page'),
    base: './',
    configFile: false,
    envDir: false,
    logLevel: 'warn',
    cacheDir: join(consumer, '.vite-cache'),
    plugins: [recordModules(ids), emitPyodide(pyodideDirectory)],
    build: { outDir, emptyOutDir: true, target: 'es2023', chunkSizeWarningLimit: 4096, reportCompressedSize: false },
  });
  return { outDir, ids: [...ids], pyodideDirectory };
}

/** Fails unless every package module came from the consumer's node_modules, through its browser entry. */
function checkProvenance({ consumer, root, ids, outDir, pyodideDirectory }) {
  const installed = `${realpathSync(join(consumer, 'node_modules'))}${sep}`;
  const workspace = `${realpathSync(root).replace(/\/$/, '')}${sep}`;
  const problems = [];
  const perPackage = Object.fromEntries(packageNames.map((name) => [name, []]));
  const fromWorkspace = [];
  for (const raw of ids) {
    const id = raw.split('?')[0];
    if (id.startsWith(workspace) && !id.startsWith(join(workspace, 'node_modules', 'vite') + sep)) {
      fromWorkspace.push(id);
    }
    const match = /[\\/]node_modules[\\/]@agenticgen[\\/]([^\\/]+)[\\/](.+)$/.exec(id);
    if (match === null) continue;
    if (!id.startsWith(installed)) problems.push(`@agenticgen module outside ${installed}: ${id}`);
    if (/\.node\.js$/.test(match[2])) problems.push(`Node entry bundled for the browser: ${id}`);
    perPackage[match[1]]?.push(match[2]);
  }
  if (fromWorkspace.length > 0) {
    const shown = fromWorkspace.slice(0, 8).join('\n    ');
    problems.push(`${fromWorkspace.length} modules resolved from the workspace, not the tarballs:\n    ${shown}`);
  }
  for (const [name, files] of Object.entries(perPackage)) {
    if (files.length === 0) problems.push(`@agenticgen/${name} is not in the bundle`);
  }
  if (!realpathSync(pyodideDirectory).startsWith(installed)) problems.push(`pyodide resolved from ${pyodideDirectory}`);
  for (const file of filesMentioning(outDir, join(realpathSync(root), 'packages'))) {
    problems.push(`${file} mentions the workspace's packages folder`);
  }
  return { problems, perPackage };
}

/** Files of the output that mention `needle` (source maps included: they would name workspace sources). */
function filesMentioning(directory, needle) {
  try {
    return execFileSync('grep', ['-rlF', needle, directory], { encoding: 'utf8' }).trim().split('\n');
  } catch (error) {
    if (error.status === 1) return [];
    throw error;
  }
}

/** Answers `/v1/chat/completions` the way OpenAI does, so the adapters' bundled SDK makes one real request. */
function answerChatCompletion(request, response) {
  let body = '';
  request.on('data', (chunk) => {
    body += chunk;
  });
  request.on('end', () => {
    const created = Math.floor(Date.now() / 1000);
    const text = 'Hello from the release check.';
    const usage = { prompt_tokens: 3, completion_tokens: 6, total_tokens: 9 };
    const base = { id: 'chatcmpl-release-smoke', created, model: 'release-smoke' };
    let stream = false;
    try {
      stream = JSON.parse(body).stream === true;
    } catch {
      response.writeHead(400, crossOriginIsolation).end('{"error":{"message":"bad JSON"}}');
      return;
    }
    if (!stream) {
      response.writeHead(200, { ...crossOriginIsolation, 'Content-Type': 'application/json' });
      response.end(
        JSON.stringify({
          ...base,
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
          usage,
        }),
      );
      return;
    }
    response.writeHead(200, { ...crossOriginIsolation, 'Content-Type': 'text/event-stream' });
    const chunk = (fields) => `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', ...fields })}\n\n`;
    response.write(
      chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: text }, finish_reason: null }] }),
    );
    response.write(chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }));
    response.write(chunk({ choices: [], usage }));
    response.end('data: [DONE]\n\n');
  });
}

/** Static files of `directory` with COOP/COEP/CORP on 127.0.0.1 at a free port, plus the fake chat endpoint. */
async function serveStatic(directory) {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    if (request.method === 'POST' && path === '/v1/chat/completions') return answerChatCompletion(request, response);
    const file = normalize(join(directory, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(directory + sep) || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, crossOriginIsolation).end('not found');
      return;
    }
    response.writeHead(200, {
      ...crossOriginIsolation,
      'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
    });
    createReadStream(file).pipe(response);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

/** Opens the page in Chromium and returns `window.__smoke`, the console errors and any off-host request. */
async function runSmokePage({ root, url }) {
  const { chromium } = await import(pathToFileURL(join(root, 'node_modules', 'playwright-core', 'index.mjs')).href);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs,
  });
  const offHost = [];
  const consoleErrors = [];
  try {
    const context = await browser.newContext();
    context.on('request', (request) => {
      const target = new URL(request.url());
      if (['http:', 'https:', 'ws:', 'wss:'].includes(target.protocol) && target.hostname !== '127.0.0.1') {
        offHost.push(request.url());
      }
    });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(`page error: ${error.message}`));
    await page.goto(url);
    await page.waitForFunction(() => window.__smoke?.done === true, null, { timeout: smokeTimeoutMs, polling: 500 });
    const smoke = await page.evaluate(() => window.__smoke);
    await context.close();
    return { smoke, offHost, consoleErrors };
  } finally {
    await browser.close();
  }
}

/**
 * The browser release check. `consumer` is the temporary project with the tarballs installed and
 * scripts/release-page copied to `<consumer>/page`; `root` is the workspace (for vite, playwright-core, esbuild).
 */
export async function checkBrowser({ consumer, root }) {
  const failures = [];
  const built = await buildPage({ consumer, root });
  const { problems, perPackage } = checkProvenance({ consumer, root, ...built });
  for (const [name, files] of Object.entries(perPackage)) {
    console.log(`bundled @agenticgen/${name} from the tarball: ${[...new Set(files)].join(', ') || 'nothing'}`);
  }
  failures.push(...problems);

  const { server, origin } = await serveStatic(realpathSync(built.outDir));
  try {
    const { smoke, offHost, consoleErrors } = await runSmokePage({ root, url: `${origin}/index.html` });
    if (!smoke.crossOriginIsolated) failures.push('the page is not cross-origin isolated');
    for (const name of packageNames) {
      const result = smoke.results[name];
      console.log(`${result?.ok ? 'ok  ' : 'FAIL'} @agenticgen/${name}: ${result?.detail ?? 'no result'}`);
      if (!result?.ok) failures.push(`@agenticgen/${name} smoke test failed`);
    }
    for (const address of new Set(offHost)) failures.push(`request left 127.0.0.1: ${address}`);
    if (failures.length > 0 && consoleErrors.length > 0)
      console.log(`console errors:\n  ${consoleErrors.join('\n  ')}`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }

  console.log('\nbundle-size budget (installed tarballs):');
  try {
    execFileSync(process.execPath, [join(root, 'scripts', 'size-budget.mjs'), '--from', consumer], {
      stdio: 'inherit',
    });
  } catch {
    failures.push('bundle-size budget exceeded (see above)');
  }
  if (failures.length > 0) throw new Error(`browser release check failed:\n  ${failures.join('\n  ')}`);
}
