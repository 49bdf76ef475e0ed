import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Bundles this package's source (with @agenticgen/core from source) into bench/dist/ with esbuild — the compiler
 * tsup uses for dist/ — so the benchmark measures the current code without building every workspace package.
 * Third-party packages stay external and resolve from node_modules.
 */
export async function loadCache(): Promise<typeof import('../src/index.node.ts')> {
  const esbuild = await import('esbuild');
  const here = fileURLToPath(new URL('.', import.meta.url));
  const outfile = `${here}dist/cache-bundle.mjs`;
  await esbuild.build({
    entryPoints: [`${here}../src/index.node.ts`],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'es2023',
    outfile,
    packages: 'external',
    alias: { '@agenticgen/core': `${here}../../core/src/index.ts` },
    logLevel: 'error',
  });
  return import(pathToFileURL(outfile).href);
}
