// Proves the packages work as users install them: packs every package, installs the tarballs into a fresh
// project outside the workspace, then (1) imports every entry point from plain Node ESM, (2) typechecks a Node
// consumer (NodeNext, `node` condition) and a browser consumer (bundler resolution) against the published .d.ts
// files, (3) builds a Vite page from the browser entries and runs its smoke test in Chromium, and (4) enforces
// the browser bundle-size budget (3 and 4: scripts/release-check-browser.mjs).
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
  // Optional peers a user installs to use a feature: the adapters' provider SDKs (the browser page bundles the
  // openai one, and a bundler must resolve all three `import()`s) and ioredis. Our .d.ts files import their types,
  // so the consumer typecheck needs them too. Native peers (LanceDB, transformers.js, bullmq) stay out.
  // vitest: @agenticgen/store/testing (the store contract suite) imports it.
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
  // skipLibCheck: false checks our .d.ts files themselves; third-party .d.ts problems are not ours to fix. Our
  // .d.ts files naming an optional peer that is not installed (TS2307) is reported, not failed: users without
  // that peer need skipLibCheck, which most projects have on.
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
      const optionalPeerTypes = lines.filter((line) => {
        const match = /node_modules\/(@agenticgen\/[^/]+)\/.*error TS2307: Cannot find module '([^']+)'/.exec(line);
        return match !== null && manifests[match[1]]?.peerDependenciesMeta?.[match[2]]?.optional === true;
      });
      const ownErrors = lines.filter(
        (line) =>
          (line.includes('node_modules/@agenticgen/') || line.startsWith(file)) && !optionalPeerTypes.includes(line),
      );
      if (optionalPeerTypes.length > 0) {
        console.log(
          `${file}: types of optional peers not installed (need skipLibCheck):\n  ${optionalPeerTypes.join('\n  ')}`,
        );
      }
      if (ownErrors.length > 0) failures.push(`${file} typecheck failed:\n${ownErrors.join('\n')}`);
      else console.log(`${file} typechecks (third-party declaration warnings ignored)`);
    }
  }
  for (const failure of failures) console.error(failure);

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
