import { AgenticGenError } from '@agenticgen/core';
import { afterAll, expect, it } from 'vitest';
import { createTestSandbox, fixtureUrl } from '../testing/test-sandbox.js';
import { resolvePackageFiles } from './packages.js';

const lock = JSON.stringify({
  packages: {
    app: {
      name: 'app',
      file_name: 'app-1.0-py3-none-any.whl',
      sha256: 'AB',
      depends: ['Helper_Lib'],
      imports: ['app'],
    },
    'helper-lib': { name: 'helper-lib', file_name: 'helper_lib-2.0-py3-none-any.whl', sha256: 'cd', depends: [] },
    remote: { name: 'remote', file_name: 'https://cdn.example/remote.whl', sha256: 'ef', depends: [] },
  },
});

it('resolves packages with their dependencies to local files with hashes', () => {
  expect(resolvePackageFiles(lock, ['App'])).toEqual([
    { fileName: 'app-1.0-py3-none-any.whl', sha256: 'ab', imports: ['app'] },
    { fileName: 'helper_lib-2.0-py3-none-any.whl', sha256: 'cd', imports: [] },
  ]);
  const missing = (() => {
    try {
      return resolvePackageFiles(lock, ['numpy']);
    } catch (error) {
      return error;
    }
  })();
  expect(AgenticGenError.hasCode(missing, 'dependency-missing')).toBe(true);
  expect(() => resolvePackageFiles(lock, ['remote'])).toThrow(/only from packageBaseUrl/);
});

// Node reads the fixtures from a local directory: no allow-list needed. In Chromium they come from the page's
// own origin, which has to be listed like any other package host.
const pageNetwork = typeof document !== 'undefined' ? { network: { allowedHosts: [location.host] } } : {};

const sandbox = createTestSandbox({
  packages: ['agenticgen-demo'],
  lockFileURL: fixtureUrl('demo-lock.json'),
  packageBaseUrl: fixtureUrl(''),
  ...pageNetwork,
});

afterAll(async () => {
  await sandbox.dispose();
});

it('loads a wheel from packageBaseUrl into the snapshot, for every session', async () => {
  const session = await sandbox.createSession();
  const result = await session.run('import agenticgen_demo\nagenticgen_demo.greet("sandbox")');
  expect(result.error).toBeUndefined();
  expect(result.result?.repr).toBe("'hello sandbox from a local wheel'");
  await session.dispose();
}, 120_000);

it('fails with dependency-missing for a package that is not in the lock file', async () => {
  const broken = createTestSandbox({ packages: ['numpy'], packageBaseUrl: fixtureUrl(''), ...pageNetwork });
  const error = await broken.createSession().catch((caught: unknown) => caught);
  expect(AgenticGenError.hasCode(error, 'dependency-missing')).toBe(true);
  expect((error as Error).message).toMatch(/numpy/);
  await broken.dispose();
});
