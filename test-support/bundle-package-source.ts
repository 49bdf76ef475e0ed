import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Bundles a package's Node entry (or another source module, `entry`) from source (with @agenticgen/core from source) into `<package>/bench/dist/`
 * with esbuild — the compiler tsup uses for dist/ — so a benchmark measures the current code without building
 * every workspace package first. Third-party packages stay external and resolve from node_modules.
 */
export async function bundlePackageSource<T>(packageName: string, entry = 'src/index.node.ts'): Promise<T> {
  const esbuild = await import('esbuild');
  const packages = fileURLToPath(new URL('../packages/', import.meta.url));
  const bundleName = entry === 'src/index.node.ts' ? packageName : entry.replace(/^src\//, '').replace(/[/.]/g, '-');
  const outfile = `${packages}${packageName}/bench/dist/${bundleName}-bundle.mjs`;
  await esbuild.build({
    entryPoints: [`${packages}${packageName}/${entry}`],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'es2023',
    outfile,
    packages: 'external',
    alias: { '@agenticgen/core': `${packages}core/src/index.ts` },
    logLevel: 'error',
  });
  return (await import(pathToFileURL(outfile).href)) as T;
}
