#!/usr/bin/env node
/**
 * The API report: every name each package publishes, with its declaration, read from the built `.d.ts` that
 * users get (so it shows what tsup emitted, not what the sources meant). One report per entry of each
 * package's `exports` map, and per condition when a condition selects other types (`index.node.api.md`), in
 * `packages/<name>/api/`.
 *
 *   node scripts/api-report.mjs            regenerate the reports (`npm run api:update`)
 *   node scripts/api-report.mjs --check    fail when the built surface differs from the committed reports
 *                                          (`npm run check:api`, in CI after the build)
 *   node scripts/api-report.mjs core cache only these package folders
 *
 * The check also fails when a runtime-specific entry (the `node` condition) lacks a value of the default entry:
 * the same import specifier resolves to either file, so code written against one must run against the other.
 * Needs `npm run build` first. The role API Extractor plays for the AI SDK and hono, with no per-entry config:
 * the `exports` maps are the configuration.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import ts from 'typescript';

const { values: flags, positionals: only } = parseArgs({
  options: { check: { type: 'boolean', default: false }, root: { type: 'string' } },
  allowPositionals: true,
});
// `--root` points at another workspace (the script's tests use a scratch one); positionals pick package folders.
const root = resolve(flags.root ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const check = flags.check;
const reportFolder = 'api';

/** `[conditions, typesFile]` for every `types` leaf under one `exports` value, outermost condition first. */
function typesLeaves(value, conditions = []) {
  if (typeof value === 'string') return [];
  if (value === null || typeof value !== 'object') return [];
  const leaves = [];
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'types' && typeof inner === 'string') leaves.push([conditions, inner]);
    else leaves.push(...typesLeaves(inner, [...conditions, key]));
  }
  return leaves;
}

/** The reports one package needs: one per distinct types file of each subpath. */
function entriesOf(packageJson) {
  const entries = [];
  for (const [subpath, value] of Object.entries(packageJson.exports ?? {})) {
    if (subpath === './package.json') continue;
    const base = subpath === '.' ? 'index' : subpath.slice(2).replaceAll('/', '-');
    const seen = new Map();
    for (const [conditions, typesFile] of typesLeaves(value)) {
      if (seen.has(typesFile)) continue;
      const condition = conditions.find((name) => name !== 'import' && name !== 'default');
      seen.set(typesFile, { subpath, condition, typesFile, name: condition ? `${base}.${condition}` : base });
    }
    entries.push(...seen.values());
  }
  return entries;
}

const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
// A declaration exported under two names is visited twice: mark its nodes once.
const stripped = new WeakSet();

/**
 * Declaration text without comments, except a `/** @deprecated *\/` marker where the JSDoc has the tag (a
 * deprecated export or option is part of the surface a reviewer should see), and without rollup-plugin-dts'
 * collision suffixes (`Options$1`), which move when unrelated names do.
 */
function declarationText(declaration) {
  const node = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
  const strip = (child) => {
    if (stripped.has(child)) return;
    stripped.add(child);
    ts.setEmitFlags(child, ts.EmitFlags.NoComments);
    // `jsDoc` is where the parser keeps a node's own doc comments (a variable's sit on its statement).
    if (child.jsDoc?.some((doc) => doc.tags?.some((tag) => tag.tagName.text === 'deprecated'))) {
      ts.addSyntheticLeadingComment(child, ts.SyntaxKind.MultiLineCommentTrivia, '* @deprecated ', true);
    }
    ts.forEachChild(child, strip);
  };
  strip(node);
  const text = printer.printNode(ts.EmitHint.Unspecified, node, node.getSourceFile());
  return text.replace(/\b([A-Za-z_]\w*)\$\d+\b/g, '$1');
}

/** The package a declaration outside this package's dist comes from (`@sinclair/typebox`, `@agenticgen/core`). */
function foreignModule(fileName, distFolder) {
  if (fileName.startsWith(distFolder)) return undefined;
  const parts = fileName.split(sep);
  const at = parts.lastIndexOf('node_modules');
  if (at !== -1) return parts[at + 1]?.startsWith('@') ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
  const packages = parts.lastIndexOf('packages');
  return packages === -1 ? relative(root, fileName) : `@agenticgen/${parts[packages + 1]}`;
}

/** `{ name, text }` for every export of one built entry, sorted by name. */
function exportsOf(program, checker, typesPath, distFolder) {
  const source = program.getSourceFile(typesPath);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`[api] ${relative(root, typesPath)} is not a module`);
  const items = [];
  for (const symbol of checker.getExportsOfModule(moduleSymbol)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const declarations = target.declarations ?? [];
    const typeOnly = !(target.flags & ts.SymbolFlags.Value) || checker.getTypeOnlyAliasDeclaration(symbol);
    const foreign = declarations[0] && foreignModule(declarations[0].getSourceFile().fileName, distFolder);
    let text;
    if (foreign && !foreign.startsWith('@agenticgen/')) {
      text = `export ${typeOnly ? 'type ' : ''}{ ${target.name === symbol.name ? symbol.name : `${target.name} as ${symbol.name}`} } from '${foreign}';`;
    } else {
      text = declarations.map(declarationText).join('\n');
      if (typeOnly && target.flags & ts.SymbolFlags.Value) text = `// type-only export\n${text}`;
      const declaredName = target.name.replace(/\$\d+$/, '');
      if (declaredName !== symbol.name) text = `// exported as ${symbol.name}\n${text}`;
    }
    items.push({ name: symbol.name, text, value: !typeOnly });
  }
  return items.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function render(packageName, entry, items) {
  const where = entry.condition ? `, condition \`${entry.condition}\`` : '';
  const specifier = entry.subpath === '.' ? packageName : `${packageName}/${entry.subpath.slice(2)}`;
  const body = items.map((item) => `// ${item.name}\n${item.text}`).join('\n\n');
  return [
    `# API report: \`${specifier}\`${where}`,
    '',
    `> Generated from \`${entry.typesFile.replace(/^\.\//, '')}\` by \`npm run api:update\`; do not edit. CI (\`npm run check:api\`)`,
    '> fails when the built surface differs from this file: a change here is a change users see.',
    '',
    `${items.length} exports.`,
    '',
    '```ts',
    body,
    '```',
    '',
  ].join('\n');
}

/** Line diff good enough to name what moved: the export headers (`// name`) of added and removed blocks. */
function describeDifference(before, after) {
  const names = (text) => new Set([...text.matchAll(/^\/\/ (\S+)$/gm)].map((match) => match[1]));
  // Only the fenced body: the header's export count and the closing fence would mark the first and last blocks.
  const body = (text) => text.slice(text.indexOf('```ts\n') + 6, text.lastIndexOf('\n```'));
  const blocks = (text) =>
    new Map(
      body(text)
        .split(/\n\n(?=\/\/ )/)
        .map((block) => [/^\/\/ (\S+)$/m.exec(block)?.[1], block])
        .filter(([name]) => name),
    );
  const [oldNames, newNames] = [names(before), names(after)];
  const [oldBlocks, newBlocks] = [blocks(before), blocks(after)];
  const lines = [];
  for (const name of newNames) if (!oldNames.has(name)) lines.push(`  + ${name} (new export)`);
  for (const name of oldNames) if (!newNames.has(name)) lines.push(`  - ${name} (no longer exported)`);
  for (const name of newNames) {
    if (oldNames.has(name) && oldBlocks.get(name) !== newBlocks.get(name))
      lines.push(`  ~ ${name} (declaration changed)`);
  }
  return lines.length > 0 ? lines : ['  (header or formatting differs)'];
}

const problems = [];
let written = 0;
let checked = 0;
const packagesDir = join(root, 'packages');
for (const folder of readdirSync(packagesDir).sort()) {
  if (only.length > 0 && !only.includes(folder)) continue;
  const packageDir = join(packagesDir, folder);
  const packageJsonPath = join(packageDir, 'package.json');
  if (!existsSync(packageJsonPath)) continue;
  const packageJson = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
  const entries = entriesOf(packageJson);
  if (entries.length === 0) continue;
  const missing = entries.filter((entry) => !existsSync(join(packageDir, entry.typesFile)));
  if (missing.length > 0) {
    const files = missing.map((entry) => `${folder}/${entry.typesFile.replace(/^\.\//, '')}`).join(', ');
    console.error(`[api] ${files} not found: run \`npm run build\` first.`);
    process.exit(1);
  }
  const program = ts.createProgram({
    rootNames: entries.map((entry) => join(packageDir, entry.typesFile)),
    options: {
      noEmit: true,
      skipLibCheck: true,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      target: ts.ScriptTarget.ES2023,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.esnext.disposable.d.ts'],
      types: ['node'],
    },
  });
  const checker = program.getTypeChecker();
  const distFolder = join(packageDir, 'dist') + sep;
  const reportDir = join(packageDir, reportFolder);
  const expected = new Map();
  const namesByEntry = new Map();
  for (const entry of entries) {
    const items = exportsOf(program, checker, join(packageDir, entry.typesFile), distFolder);
    expected.set(`${entry.name}.api.md`, render(packageJson.name, entry, items));
    namesByEntry.set(entry, new Set(items.filter((item) => item.value).map((item) => item.name)));
  }
  // A condition-specific entry must offer every value of the same subpath's default entry (types may differ on
  // purpose: the Node and browser `createSandbox` take different options).
  for (const [entry, names] of namesByEntry) {
    if (!entry.condition) continue;
    const fallback = [...namesByEntry].find(([other]) => other.subpath === entry.subpath && !other.condition);
    const absent = fallback ? [...fallback[1]].filter((name) => !names.has(name)) : [];
    if (absent.length > 0) {
      problems.push(
        `${packageJson.name} (${entry.subpath}, ${entry.condition}) lacks ${absent.join(', ')}, exported by the default entry`,
      );
    }
  }
  const committed = existsSync(reportDir) ? readdirSync(reportDir).filter((name) => name.endsWith('.api.md')) : [];
  if (check) {
    for (const [file, text] of expected) {
      checked++;
      const path = join(reportDir, file);
      if (!existsSync(path)) {
        problems.push(`${relative(root, path)} is missing`);
        continue;
      }
      const before = readFileSync(path, 'utf8');
      if (before !== text)
        problems.push(`${relative(root, path)} differs:\n${describeDifference(before, text).join('\n')}`);
    }
    for (const file of committed) {
      if (!expected.has(file))
        problems.push(`${relative(root, join(reportDir, file))} reports an entry that is not in "exports"`);
    }
  } else {
    mkdirSync(reportDir, { recursive: true });
    for (const file of committed) if (!expected.has(file)) rmSync(join(reportDir, file));
    for (const [file, text] of expected) {
      writeFileSync(join(reportDir, file), text);
      written++;
    }
  }
}

if (problems.length > 0) {
  console.error(`[api] ${problems.length} problem(s):\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
  if (check) console.error('[api] If the change is intended, run `npm run api:update` and commit the reports.');
  process.exit(1);
}
console.log(check ? `[api] ${checked} reports match the built packages` : `[api] wrote ${written} reports`);
