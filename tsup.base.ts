import type { Options } from 'tsup';

/**
 * The build every package shares: ES2023 ESM for any runtime (`platform: 'neutral'`), declarations, source maps,
 * tree shaking and a clean dist. A package's tsup.config.ts adds its entries, what stays external and its own
 * exceptions (`keepNames`, `removeNodeProtocol`), so a change to the common build is made once.
 */
export function packageBuild(options: Options & Required<Pick<Options, 'entry'>>): Options {
  return {
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2023',
    platform: 'neutral',
    treeshake: true,
    ...options,
  };
}
