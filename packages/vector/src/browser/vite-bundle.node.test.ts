import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtFileExists } from '../../../../test-support/built-package.js';

const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
const repositoryRoot = join(packageRoot, '../..');
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'agenticgen-vite-'));
  await writeFile(
    join(directory, 'index.html'),
    '<!doctype html><html><body><script type="module" src="./main.js"></script></body></html>',
  );
  await writeFile(
    join(directory, 'main.js'),
    `import { createHashingEmbedder, createHnswIndex, loadIndexFromIndexedDb } from '@agenticgen/vector';
const embedder = createHashingEmbedder({ dimensions: 64 });
const index = await createHnswIndex({ dimensions: 64 });
const [vector] = await embedder.embed(['hello']);
await index.upsert([{ id: 'a', vector }]);
document.body.textContent = JSON.stringify(await index.query({ vector, topK: 1 })) + typeof loadIndexFromIndexedDb;
`,
  );
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

async function bundle(alias: Record<string, string>, outDir: string): Promise<{ files: string[]; javascript: string }> {
  await build({
    root: directory,
    configFile: false,
    logLevel: 'silent',
    resolve: { alias },
    build: { outDir, emptyOutDir: true, minify: false, target: 'es2022' },
  });
  const files = await listFiles(outDir);
  const javascript = (
    await Promise.all(files.filter((file) => file.endsWith('.js')).map((file) => readFile(file, 'utf8')))
  ).join('\n');
  return { files, javascript };
}

function expectBrowserSafe({ files, javascript }: { files: string[]; javascript: string }): void {
  expect(files.some((file) => file.endsWith('.html'))).toBe(true);
  expect(files.filter((file) => /\.(node|wasm)$/.test(file))).toEqual([]);
  expect(javascript).not.toMatch(/lancedb/i);
  expect(javascript).not.toMatch(/apache-arrow/);
  expect(javascript).not.toMatch(/from ['"](node:)?(fs|module|crypto|path|fs\/promises)['"]/);
  expect(javascript).not.toContain('createRequire');
  // The code itself is there: the hashing embedder and the inlined WebAssembly kernels (base64 "\0asm").
  expect(javascript).toContain('hashing-v1');
  expect(javascript).toContain('AGFzbQ');
}

describe('browser bundle', () => {
  it('builds a page importing the browser entry (source) with no native module', async () => {
    const result = await bundle(
      {
        '@agenticgen/vector': join(packageRoot, 'src/index.ts'),
        '@agenticgen/core': join(repositoryRoot, 'packages/core/src/index.ts'),
      },
      join(directory, 'dist-source'),
    );
    expectBrowserSafe(result);
  }, 120_000);

  it.skipIf(!builtFileExists(join(packageRoot, 'dist/index.js'), 'the published-exports Vite bundle test'))(
    'builds against the published exports map (browser condition → dist/index.js)',
    async () => {
      const packageJson = JSON.parse(await readFile(join(packageRoot, 'package.json'), 'utf8'));
      expect(packageJson.exports['.'].browser).toBe('./dist/index.js');
      // Resolve the installed package directory through its package.json, as a user's Vite does.
      const result = await bundle(
        {
          '@agenticgen/vector': join(repositoryRoot, 'node_modules/@agenticgen/vector'),
          '@agenticgen/core': join(repositoryRoot, 'packages/core/src/index.ts'),
        },
        join(directory, 'dist-package'),
      );
      expectBrowserSafe(result);
    },
    120_000,
  );
});
