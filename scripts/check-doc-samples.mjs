// Type-checks every TypeScript sample in the docs and the package READMEs, so a renamed option or a stale
// example fails CI instead of misleading a reader. Each ```ts / ```typescript block becomes its own module
// (top-level await allowed) under .doc-samples/, compiled with the repository's strict settings against the
// packages' sources. Run: `node scripts/check-doc-samples.mjs`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, '.doc-samples');
rmSync(out, { recursive: true, force: true });
mkdirSync(out);

const markdownFiles = [
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(root, 'docs', name)),
  join(root, 'README.md'),
  ...['packages', 'examples'].flatMap((folder) =>
    readdirSync(join(root, folder))
      .map((name) => join(root, folder, name, 'README.md'))
      .filter((path) => existsSync(path)),
  ),
].filter((path) => existsSync(path));

/**
 * A sample fenced as ```ts browser is browser code: it is checked against the packages' browser entries
 * (`src/index.ts`, what the `browser` export condition selects), the others against the Node entries.
 */
const packageNames = ['core', 'cache', 'metrics', 'vector', 'sandbox', 'store', 'adapters', 'mcp'];
const browserOut = join(out, 'browser');
mkdirSync(browserOut);

const samples = [];
for (const file of markdownFiles) {
  const text = readFileSync(file, 'utf8');
  const pattern = /^```(ts|typescript)\b([^\n]*)\n([\s\S]*?)^```/gm;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const line = text.slice(0, match.index).split('\n').length;
    const browser = /\bbrowser\b/.test(match[2]);
    const name = `${relative(root, file).replaceAll(/[/.]/g, '_')}_L${line}.ts`;
    // `export {}` makes every sample a module, so top-level await and repeated names are fine.
    writeFileSync(join(browser ? browserOut : out, name), `${match[3]}\nexport {};\n`);
    samples.push({ name, source: `${relative(root, file)}:${line}`, browser });
  }
}

writeFileSync(
  join(out, 'tsconfig.json'),
  JSON.stringify({
    extends: '../tsconfig.json',
    compilerOptions: { noEmit: true, noUnusedLocals: false, allowImportingTsExtensions: true },
    include: ['./*.ts'],
  }),
);
writeFileSync(
  join(browserOut, 'tsconfig.json'),
  JSON.stringify({
    extends: '../../tsconfig.json',
    compilerOptions: {
      noEmit: true,
      noUnusedLocals: false,
      allowImportingTsExtensions: true,
      paths: Object.fromEntries(
        packageNames.flatMap((name) => [
          [`@agenticgen/${name}`, [`../../packages/${name}/src/index.ts`]],
          [`@agenticgen/${name}/*`, [`../../packages/${name}/src/*.ts`, `../../packages/${name}/src/*/index.ts`]],
        ]),
      ),
    },
    include: ['./*.ts'],
  }),
);

try {
  for (const project of [out, browserOut]) {
    execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', join(project, 'tsconfig.json')], {
      cwd: root,
      encoding: 'utf8',
      stdio: 'pipe',
    });
  }
  const browserCount = samples.filter((sample) => sample.browser).length;
  console.log(
    `${samples.length} code samples from ${markdownFiles.length} files type-check (${browserCount} against the browser entries)`,
  );
  rmSync(out, { recursive: true, force: true });
} catch (error) {
  const bySample = new Map(samples.map((sample) => [sample.name, sample.source]));
  const lines = `${error.stdout}`
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const name = /([^/\s]+\.ts)\(/.exec(line)?.[1];
      return name && bySample.has(name) ? `${bySample.get(name)} → ${line}` : line;
    });
  console.error(lines.join('\n'));
  console.error(`\ndoc samples failed to type-check (generated files kept in .doc-samples/)`);
  process.exit(1);
}
