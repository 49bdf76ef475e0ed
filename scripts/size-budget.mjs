// Enforces the browser bundle-size budget: the browser entries of core + cache + metrics + vector, bundled
// together as an app would (esbuild, minified, `browser` export condition, everything they import included),
// must stay within BUDGET bytes min+gzip. Pyodide is not part of these packages. Also prints what each
// package costs alone, so a regression is easy to place. Run after `npm run build`:
// `node scripts/size-budget.mjs` measures the workspace's built dist files; `--from <project>` measures the
// packages as installed in another project (the release check passes its tarball consumer).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/**
 * The target is 60 KB for the four packages together. Where a required dependency alone makes that
 * impossible the budget is the measured size + 10 %, and docs/benchmarks.md says which dependency costs what.
 */
const budgetBytes = 60 * 1024;
const packages = ['core', 'cache', 'metrics', 'vector'];
const root = new URL('..', import.meta.url).pathname;
const fromIndex = process.argv.indexOf('--from');
const resolveDir = fromIndex === -1 ? root : resolve(process.argv[fromIndex + 1] ?? '.');
// esbuild honours the tsconfig `paths` it finds above resolveDir, and the root tsconfig maps @agenticgen/* to
// the Node entries' sources: measure the published files instead, under a tsconfig without paths.
const scratch = mkdtempSync(join(tmpdir(), 'agenticgen-size-'));
const neutralTsconfig = join(scratch, 'tsconfig.json');
writeFileSync(neutralTsconfig, '{}');
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

async function measure(names) {
  const contents = names.map((name, index) => `export * as p${index} from '@agenticgen/${name}';`).join('\n');
  const result = await build({
    stdin: { contents, resolveDir, sourcefile: 'size-entry.js' },
    tsconfig: neutralTsconfig,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['browser', 'import', 'default'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const bytes = result.outputFiles[0].contents;
  const inputs = {};
  for (const [path, output] of Object.entries(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const owner =
        /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? /packages\/([^/]+)/.exec(input)?.[1] ?? input;
      inputs[owner] = (inputs[owner] ?? 0) + bytesInOutput;
    }
    void path;
  }
  return { minified: bytes.length, gzipped: gzipSync(bytes, { level: 9 }).length, inputs };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const together = await measure(packages);
console.log(
  `core + cache + metrics + vector (browser entries): ${kb(together.minified)} min, ${kb(together.gzipped)} min+gzip`,
);
console.log('minified bytes by origin:');
for (const [owner, bytes] of Object.entries(together.inputs).sort((left, right) => right[1] - left[1])) {
  console.log(`  ${owner.padEnd(28)} ${kb(bytes)}`);
}
for (const name of packages) {
  const alone = await measure([name]);
  console.log(`  @agenticgen/${name} alone: ${kb(alone.gzipped)} min+gzip`);
}
if (together.gzipped > budgetBytes) {
  console.error(`\nsize budget exceeded: ${kb(together.gzipped)} > ${kb(budgetBytes)}`);
  process.exit(1);
}
console.log(`\nwithin budget: ${kb(together.gzipped)} ≤ ${kb(budgetBytes)}`);
