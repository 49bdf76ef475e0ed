// The release check's "no optional peer installed" half (called by release-check.mjs with the packed tarballs):
// a fresh project installs only the tarballs, then
//   (1) esbuild and Rollup bundle a consumer that imports every package's main entry, for the browser and for
//       Node, and a consumer that imports only `createOfflineDemoModel` from @agenticgen/adapters (its Node bundle
//       is run: the demo model answers);
//   (2) tsc type-checks a consumer of every main entry with skipLibCheck off on the lowest `lib` the docs promise
//       (docs/getting-started.md): once as a browser app (DOM, no @types/node) and once as a Node app.
// esbuild stops on an import it cannot resolve (unless the import sits in a try block or carries a `.catch`: then
// it leaves it to run time, which is how the cache, vector and store packages load their peers). Rollup leaves
// any unresolved import as a bare import in the bundle: the check allows that only for an optional peer of the
// package that imports it (loaded lazily, failing with `dependency-missing` when used), never in the demo-only
// bundle.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The lowest `lib` docs/getting-started.md promises; the consumer type-checks against exactly this. */
export const lowestLib = ['ES2022'];

const run = (command, args, options = {}) =>
  execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });

function installBareConsumer({ work, dependencies, manifests }) {
  const directory = join(work, 'bare-consumer');
  mkdirSync(directory);
  writeFileSync(
    join(directory, 'package.json'),
    JSON.stringify({ name: 'bare-consumer', private: true, type: 'module', dependencies, overrides: dependencies }),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: directory });
  const installedPeers = [];
  for (const manifest of Object.values(manifests)) {
    for (const [peer, meta] of Object.entries(manifest.peerDependenciesMeta ?? {})) {
      if (meta.optional && existsSync(join(directory, 'node_modules', peer))) installedPeers.push(peer);
    }
  }
  return { directory, installedPeers: [...new Set(installedPeers)] };
}

function writeSources(directory, packageNames) {
  const everyEntry = [
    ...packageNames.map((name, index) => `import * as package${index} from '${name}';`),
    `const counts = [${packageNames.map((_, index) => `Object.keys(package${index}).length`).join(', ')}];`,
    `if (counts.some((count) => count === 0)) throw new Error('an entry has no exports: ' + counts.join(', '));`,
    `console.log('entries', counts.join(' '));`,
  ].join('\n');
  writeFileSync(join(directory, 'every-entry.js'), everyEntry);
  writeFileSync(
    join(directory, 'demo-only.js'),
    [
      `import { createOfflineDemoModel } from '@agenticgen/adapters';`,
      `const model = createOfflineDemoModel({ wordDelayMs: 0 });`,
      `const response = await model.generate({ messages: [{ role: 'user', content: 'Hello' }] });`,
      `if (response.text.length === 0) throw new Error('the demo model gave no answer');`,
      `console.log('demo answered', response.text.length, 'characters');`,
    ].join('\n'),
  );
  return { everyEntry: join(directory, 'every-entry.js'), demoOnly: join(directory, 'demo-only.js') };
}

async function bundleWithEsbuild({ root, entry, platform, outfile }) {
  const { build } = await import(pathToFileURL(join(root, 'node_modules', 'esbuild', 'lib', 'main.js')).href);
  try {
    await build({ entryPoints: [entry], outfile, bundle: true, format: 'esm', platform, logLevel: 'silent' });
    return { problems: [], notes: [] };
  } catch (error) {
    const problems = (error.errors ?? [{ text: error.message }]).map(
      (problem) => `${problem.text}${problem.location ? ` (${problem.location.file})` : ''}`,
    );
    return { problems, notes: [] };
  }
}

/** The optional peers of the @agenticgen package that `importer` belongs to. */
function optionalPeersOf(importer, manifests) {
  const match = /node_modules[\\/](@agenticgen[\\/][^\\/]+)[\\/]/.exec(importer ?? '');
  const manifest = match === null ? undefined : manifests[match[1].replace('\\', '/')];
  return Object.entries(manifest?.peerDependenciesMeta ?? {})
    .filter(([, meta]) => meta.optional)
    .map(([peer]) => peer);
}

async function bundleWithRollup({ root, entry, platform, outfile, manifests, strict }) {
  const { rollup } = await import(pathToFileURL(join(root, 'node_modules', 'rollup', 'dist', 'es', 'rollup.js')).href);
  const plugin = (name) => pathToFileURL(join(root, 'node_modules', '@rollup', name, 'dist', 'es', 'index.js')).href;
  const { nodeResolve } = await import(plugin('plugin-node-resolve'));
  const { default: commonjs } = await import(plugin('plugin-commonjs'));
  const { default: json } = await import(plugin('plugin-json'));
  const problems = [];
  const lazyPeers = new Set();
  try {
    const bundle = await rollup({
      input: entry,
      plugins: [
        // What every Rollup app has: some dependencies wrap CommonJS in their ESM entry (eventemitter3), some
        // import JSON (ajv, under the MCP SDK).
        commonjs(),
        json(),
        nodeResolve(
          platform === 'browser'
            ? { browser: true, exportConditions: ['browser'] }
            : { exportConditions: ['node'], preferBuiltins: true },
        ),
      ],
      // Node built-ins are the platform's; anything else left unresolved is a broken bundle.
      external: platform === 'node' ? (id) => id.startsWith('node:') : [],
      onwarn(warning) {
        if (warning.code !== 'UNRESOLVED_IMPORT') return;
        if (!strict && optionalPeersOf(warning.id, manifests).includes(warning.exporter)) {
          lazyPeers.add(warning.exporter);
        } else problems.push(warning.message);
      },
    });
    await bundle.write({ file: outfile, format: 'es', inlineDynamicImports: true });
    await bundle.close();
  } catch (error) {
    problems.push(error.message);
  }
  const notes = lazyPeers.size > 0 ? [`left to run time (optional peers): ${[...lazyPeers].join(', ')}`] : [];
  return { problems, notes };
}

function typecheck({ root, directory, packageNames }) {
  const source = packageNames.map((name, index) => `import * as package${index} from '${name}';`);
  source.push(`console.log(${packageNames.map((_, index) => `package${index}`).join(', ')});`);
  writeFileSync(join(directory, 'consumer.ts'), source.join('\n'));
  const projects = {
    // A browser app: bundler resolution (browser entries), DOM, no @types/node.
    'tsconfig.browser.json': { moduleResolution: 'bundler', module: 'ESNext', lib: [...lowestLib, 'DOM'], types: [] },
    // A Node app: NodeNext resolution (the `node` entries), @types/node and no DOM.
    'tsconfig.node.json': {
      moduleResolution: 'NodeNext',
      module: 'NodeNext',
      lib: lowestLib,
      types: ['node'],
      typeRoots: [join(root, 'node_modules', '@types')],
    },
  };
  const problems = [];
  for (const [name, compilerOptions] of Object.entries(projects)) {
    writeFileSync(
      join(directory, name),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, ...compilerOptions },
        files: ['consumer.ts'],
      }),
    );
    try {
      run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', name], { cwd: directory });
      console.log(
        `ok   ${name}: every main entry type-checks (lib ${compilerOptions.lib.join(', ')}, skipLibCheck off)`,
      );
    } catch (error) {
      // Our declarations and the consumer fail the check; a third-party package's own declarations do not.
      const lines = `${error.stdout}`.split('\n').filter((line) => line.includes('error TS'));
      const ours = lines.filter((line) => line.includes('node_modules/@agenticgen/') || line.startsWith('consumer.ts'));
      const theirs = lines.filter((line) => !ours.includes(line));
      if (theirs.length > 0) console.log(`     ${name}, third-party declarations:\n       ${theirs.join('\n       ')}`);
      if (ours.length > 0)
        problems.push(`${name} (lib ${compilerOptions.lib.join(', ')}):\n    ${ours.join('\n    ')}`);
      else console.log(`ok   ${name}: our declarations type-check (lib ${compilerOptions.lib.join(', ')})`);
    }
  }
  return problems;
}

/**
 * Runs the checks; `dependencies` maps each package name to its tarball (`file:` URL), `manifests` each name to
 * its package.json. Throws listing every problem.
 */
export async function checkWithoutOptionalPeers({ root, work, dependencies, manifests }) {
  const failures = [];
  const { directory, installedPeers } = installBareConsumer({ work, dependencies, manifests });
  if (installedPeers.length > 0) failures.push(`optional peers got installed: ${installedPeers.join(', ')}`);
  const packageNames = Object.keys(manifests).sort();
  const sources = writeSources(directory, packageNames);
  for (const [bundlerName, bundle] of [
    ['esbuild', bundleWithEsbuild],
    ['Rollup', bundleWithRollup],
  ]) {
    for (const platform of ['browser', 'node']) {
      for (const [label, entry] of Object.entries(sources)) {
        const outfile = join(directory, 'out', `${bundlerName}-${platform}-${label}.js`);
        const strict = label === 'demoOnly';
        const { problems, notes } = await bundle({ root, entry, platform, outfile, manifests, strict });
        if (problems.length > 0) {
          failures.push(`${bundlerName} (${platform}) cannot bundle ${label}:\n    ${problems.join('\n    ')}`);
          continue;
        }
        console.log(`ok   ${bundlerName} (${platform}) bundles ${label}`);
        for (const note of notes) console.log(`     ${note}`);
        if (label === 'demoOnly' && platform === 'node') {
          try {
            console.log(`     ran it: ${run(process.execPath, [outfile], { cwd: directory }).trim()}`);
          } catch (error) {
            failures.push(`the ${bundlerName} bundle of demo-only fails to run:\n${error.stderr}`);
          }
        }
      }
    }
  }
  failures.push(...typecheck({ root, directory, packageNames }));
  if (failures.length > 0) throw new Error(`without optional peers:\n  ${failures.join('\n  ')}`);
}
