// Proves the packages work as users install them: packs every package, installs the tarballs into a fresh
// project outside the workspace, then (1) imports every entry point from plain Node ESM, (2) typechecks a Node
// consumer (NodeNext, `node` condition) and a browser consumer (bundler resolution) against the published .d.ts
// files, (3) builds a Vite page from the browser entries and runs its smoke test in Chromium, and (4) enforces
// the browser bundle-size budget (3 and 4: scripts/release-check-browser.mjs), and (5) in a second project with no
// optional peer installed, bundles every main entry with esbuild and Rollup and type-checks them with
// skipLibCheck off on the lowest documented `lib` (scripts/release-check-bare.mjs).
// Run after `npm run build`: `node scripts/release-check.mjs` (CI does, via `npm run check:release`).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const packagesDir = join(root, 'packages');
const names = readdirSync(packagesDir).filter((name) => existsSync(join(packagesDir, name, 'package.json')));
const work = mkdtempSync(join(tmpdir(), 'agenticgen-release-'));
const tarballs = join(work, 'tarballs');
const consumer = join(work, 'consumer');
mkdirSync(tarballs);
mkdirSync(consumer);
const step = (title) => console.log(`\n--- ${title}`);
const run = (command, args, options = {}) =>
  execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });

try {
  step('pack');
  const manifests = {};
  const dependencies = {};
  for (const name of names) {
    const directory = join(packagesDir, name);
    const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
    manifests[manifest.name] = manifest;
    const file = run('npm', ['pack', '--silent', '--pack-destination', tarballs], { cwd: directory })
      .trim()
      .split('\n')
      .pop();
    dependencies[manifest.name] = `file:${join(tarballs, file)}`;
    console.log(`${manifest.name} → ${file}`);
  }

  step('install the tarballs into a fresh project');
  // Optional peers a user installs to use a feature: the adapters' provider SDKs (the browser page bundles
  // `@agenticgen/adapters/openai`, which imports the openai one) and ioredis. vitest: the `./testing` contract
  // suites import it (one of them runs below). Native peers (LanceDB, transformers.js, bullmq) stay out. The
  // project without any optional peer is scripts/release-check-bare.mjs.
  const featurePeers = ['openai', '@anthropic-ai/sdk', '@google/genai', 'ioredis', 'vitest'];
  const peers = {};
  for (const manifest of Object.values(manifests)) {
    for (const [peer, range] of Object.entries(manifest.peerDependencies ?? {})) {
      if (featurePeers.includes(peer)) peers[peer] = range;
    }
  }
  // Internal dependencies must resolve to the tarballs too, not to the registry.
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify(
      {
        name: 'consumer',
        private: true,
        type: 'module',
        dependencies: { ...dependencies, ...peers },
        overrides: dependencies,
      },
      null,
      2,
    ),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: consumer,
    stdio: 'inherit',
  });

  step('import every entry point from plain Node ESM');
  const entryPoints = [];
  for (const [packageName, manifest] of Object.entries(manifests)) {
    for (const subpath of Object.keys(manifest.exports ?? { '.': null })) {
      if (subpath === './package.json' || subpath.includes('*')) continue;
      entryPoints.push(subpath === '.' ? packageName : `${packageName}/${subpath.slice(2)}`);
    }
  }
  const importer = join(consumer, 'import-all.mjs');
  writeFileSync(
    importer,
    `const failures = [];\nfor (const id of ${JSON.stringify(entryPoints)}) {\n  try {\n    const module = await import(id);\n    if (Object.keys(module).length === 0) failures.push(id + ': no exports');\n    else console.log('ok', id, Object.keys(module).length, 'exports');\n  } catch (error) {\n    failures.push(id + ': ' + error.message);\n  }\n}\nif (failures.length) { console.error(failures.join('\\n')); process.exit(1); }\n`,
  );
  console.log(run(process.execPath, [importer], { cwd: consumer }));

  step('typecheck a consumer against the published .d.ts files');
  const consumerSource = [
    ...Object.keys(manifests).map((name, index) => `import * as package${index} from '${name}';`),
    `import { AgenticGenError, defineTool, Type } from '@agenticgen/core';`,
    `const tool = defineTool({ name: 'add', description: 'Adds', parameters: Type.Object({ a: Type.Number(), b: Type.Number() }), execute: ({ a, b }) => a + b });`,
    `const sum: number = await tool.execute({ a: 1, b: 2 }, { signal: new AbortController().signal, toolCallId: 'x', values: {} });`,
    `const error: AgenticGenError = new AgenticGenError('timeout', '[consumer] slow');`,
    // Node-only surface: under NodeNext the `node` export condition must give Node users the Node .d.ts.
    `import { createFileDriver } from '@agenticgen/cache';`,
    `import { createMetricsHandler, createMetricsRegistry } from '@agenticgen/metrics';`,
    `import { createSandbox } from '@agenticgen/sandbox';`,
    `import { saveIndexToFile } from '@agenticgen/vector';`,
    `const nodeOnly = [createFileDriver, createMetricsHandler(createMetricsRegistry()), saveIndexToFile];`,
    `const createNodeSandbox = () => createSandbox({ pyodideDirectory: '/opt/pyodide', permissionModel: true });`,
    `console.log(nodeOnly.length, typeof createNodeSandbox);`,
    `console.log(sum, error.code, ${Object.keys(manifests)
      .map((_, index) => `Object.keys(package${index}).length`)
      .join(', ')});`,
  ].join('\n');
  writeFileSync(join(consumer, 'consumer.ts'), consumerSource);
  writeFileSync(
    join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2023',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        lib: ['ES2023', 'DOM'],
        types: ['node'],
        typeRoots: [join(root, 'node_modules', '@types')],
      },
      files: ['consumer.ts'],
    }),
  );
  // A browser app's view: bundler resolution (no `node` condition), DOM, no @types/node. ESNext.Disposable
  // because core's Runtime extends AsyncDisposable, which TypeScript only declares there (or in @types/node).
  writeFileSync(
    join(consumer, 'browser-consumer.ts'),
    [
      `import { createCache, createIndexedDbDriver } from '@agenticgen/cache';`,
      `import { createRuntime } from '@agenticgen/core';`,
      `import { createMetricsRegistry, formatPrometheus } from '@agenticgen/metrics';`,
      `import { createSandbox } from '@agenticgen/sandbox';`,
      `import { saveIndexToIndexedDb } from '@agenticgen/vector';`,
      `const cache = createCache({ l2: createIndexedDbDriver({ databaseName: 'app' }) });`,
      `const sandbox = createSandbox({ indexURL: '/pyodide/', container: document.body });`,
      `const text: string = formatPrometheus(createMetricsRegistry().collect());`,
      `console.log(cache, sandbox, text, saveIndexToIndexedDb, await createRuntime());`,
    ].join('\n'),
  );
  writeFileSync(
    join(consumer, 'tsconfig.browser.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2023',
        module: 'ESNext',
        moduleResolution: 'bundler',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        lib: ['ES2023', 'DOM', 'ESNext.Disposable'],
        types: [],
      },
      files: ['browser-consumer.ts'],
    }),
  );
  // skipLibCheck: false checks our .d.ts files themselves; third-party .d.ts problems are not ours to fix.
  const failures = [];
  for (const [project, file] of [
    ['tsconfig.json', 'consumer.ts'],
    ['tsconfig.browser.json', 'browser-consumer.ts'],
  ]) {
    try {
      run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', project], { cwd: consumer });
      console.log(`${file} typechecks`);
    } catch (error) {
      const lines = `${error.stdout}`.split('\n');
      const ownErrors = lines.filter((line) => line.includes('node_modules/@agenticgen/') || line.startsWith(file));
      if (ownErrors.length > 0) failures.push(`${file} typecheck failed:\n${ownErrors.join('\n')}`);
      else console.log(`${file} typechecks (third-party declaration warnings ignored)`);
    }
  }
  for (const failure of failures) console.error(failure);

  step('a driver written outside the repository runs the cache driver contract suite (@agenticgen/cache/testing)');
  // The suite imports vitest as a peer; the consumer installed it. The driver is the kind a user writes: it keeps
  // its keys under a prefix of another driver.
  const suiteDirectory = join(consumer, 'driver-suite');
  mkdirSync(suiteDirectory);
  writeFileSync(
    join(suiteDirectory, 'prefixed-driver.test.mjs'),
    [
      `import { createMemoryDriver } from '@agenticgen/cache';`,
      `import { runCacheDriverSuite } from '@agenticgen/cache/testing';`,
      `function createPrefixedDriver(base, prefix) {`,
      `  return {`,
      `    name: 'prefixed(' + base.name + ')',`,
      `    get: (key) => base.get(prefix + key),`,
      `    set: (key, entry) => base.set(prefix + key, entry),`,
      `    delete: (key) => base.delete(prefix + key),`,
      `    clear: (keyPrefix = '') => base.clear(prefix + keyPrefix),`,
      `    increment: (key) => base.increment(prefix + key),`,
      `    readCounter: (key) => base.readCounter(prefix + key),`,
      `    dispose: () => base.dispose(),`,
      `  };`,
      `}`,
      `// Two memory drivers are two stores: no pub/sub between instances to test.`,
      `runCacheDriverSuite('prefixed memory driver', () => createPrefixedDriver(createMemoryDriver(), 'app:'), {`,
      `  skip: ['publish-subscribe'],`,
      `});`,
    ].join('\n'),
  );
  try {
    const output = run(join(consumer, 'node_modules', '.bin', 'vitest'), ['run', '--root', suiteDirectory], {
      cwd: consumer,
      env: { ...process.env, NO_COLOR: '1', CI: '1' },
    });
    const summary = output.split('\n').filter((line) => /^\s*(Test Files|Tests)\s/.test(line));
    console.log(summary.join('\n'));
    if (!summary.some((line) => /Tests\s+\d+ passed/.test(line))) failures.push('the cache driver suite ran no test');
  } catch (error) {
    failures.push(`the cache driver suite failed outside the workspace:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  }

  step('no optional peer installed: esbuild and Rollup bundles, strict typecheck on the lowest lib');
  const { checkWithoutOptionalPeers } = await import(
    pathToFileURL(join(root, 'scripts', 'release-check-bare.mjs')).href
  );
  try {
    await checkWithoutOptionalPeers({ root, work, dependencies, manifests });
  } catch (error) {
    console.error(error.message);
    failures.push(error.message);
  }

  const browserCheck = join(root, 'scripts', 'release-check-browser.mjs');
  if (existsSync(browserCheck)) {
    step('Vite build of the browser entries + smoke test in Chromium + size budget');
    cpSync(join(root, 'scripts', 'release-page'), join(consumer, 'page'), { recursive: true });
    const { checkBrowser } = await import(pathToFileURL(browserCheck).href);
    await checkBrowser({ consumer, root });
  }
  // The typecheck's failures wait until here so one run reports the browser check too.
  if (failures.length > 0) throw new Error(`release check failed:\n${failures.join('\n')}`);
  console.log('\nrelease check passed');
} finally {
  if (!process.env.KEEP_RELEASE_CHECK) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}
