/**
 * Errors must print under their real name from the published bundle, not the `_AgenticGenError` esbuild gives a
 * class that refers to itself: `console.log(error)` and stack traces show the constructor's name. The test
 * builds core and this package with their own tsup configs (core bundled in, so one build checks both).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { build, type Options } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import coreConfig from '../../../core/tsup.config.js';
import adaptersConfig from '../../tsup.config.js';

const packages = fileURLToPath(new URL('../../../', import.meta.url));
let directory: string;

async function bundle(config: Options, name: string): Promise<string> {
  const outDir = join(directory, name);
  const entries = Object.entries(config.entry as Record<string, string>);
  await build({
    ...config,
    entry: Object.fromEntries(entries.map(([key, path]) => [key, join(packages, name, path)])),
    config: false,
    outDir,
    dts: false,
    sourcemap: false,
    silent: true,
    // Third-party packages stay imports; only our code is bundled (core into adapters, via the alias below).
    external: [],
    skipNodeModulesBundle: true,
    // Resolve `@agenticgen/core` to its source so the build needs no prior `npm run build`.
    esbuildOptions(options) {
      options.alias = { '@agenticgen/core': join(packages, 'core/src/index.ts') };
    },
  });
  return outDir;
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'agenticgen-error-names-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('error names in the built bundles', () => {
  it('AgenticGenError prints as AgenticGenError from the core and adapters bundles', async () => {
    const coreOut = await bundle(coreConfig as Options, 'core');
    const core = (await import(pathToFileURL(join(coreOut, 'index.js')).href)) as typeof import('@agenticgen/core');
    const error = new core.AgenticGenError('invalid-argument', '[test] bad');
    expect(error.constructor.name).toBe('AgenticGenError');
    expect(inspect(error).split('\n')[0]).toBe('AgenticGenError: [test] bad');

    const adaptersOut = await bundle(adaptersConfig as Options, 'adapters');
    const adapters = (await import(
      pathToFileURL(join(adaptersOut, 'index.js')).href
    )) as typeof import('@agenticgen/adapters');
    let thrown: unknown;
    try {
      adapters.createModelManager({ models: {}, aliases: { fast: 'missing' } });
    } catch (caught) {
      thrown = caught;
    }
    expect((thrown as Error).constructor.name).toBe('AgenticGenError');
    expect(inspect(thrown).split('\n')[0]).toMatch(/^AgenticGenError: \[adapters:manager\] alias "fast"/);
  });
});
