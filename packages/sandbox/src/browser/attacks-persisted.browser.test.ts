import type { SandboxOptions } from '../options.js';
import { attackLimits } from '../testing/attack-suite.js';
import { runAttackSuiteOnStoredSnapshot } from '../testing/stored-snapshot-attacks.js';
import { createTestSandbox } from '../testing/test-sandbox.js';

/** The attack suite on sessions restored from a snapshot an earlier sandbox stored (a later page load). */
const cacheName = `agenticgen-attack-snapshots-${Math.random().toString(36).slice(2)}`;

runAttackSuiteOnStoredSnapshot(
  {
    createSandbox: (options: SandboxOptions = {}) =>
      createTestSandbox({ limits: attackLimits, pool: { warm: 1 }, snapshotCache: { cacheName }, ...options } as never),
  },
  () => caches.delete(cacheName),
);
