import { attackLimits, runAttackSuite } from '../testing/attack-suite.js';
import { createTestSandbox } from '../testing/test-sandbox.js';

runAttackSuite({
  // Sessions from the snapshot this page makes; attacks-persisted.browser.test.ts covers stored ones.
  createSandbox: (options = {}) =>
    createTestSandbox({ limits: attackLimits, pool: { warm: 1 }, snapshotCache: false, ...options } as never),
});
