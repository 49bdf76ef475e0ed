import { attackLimits, runAttackSuite } from '../testing/attack-suite.js';
import { createTestSandbox } from '../testing/test-sandbox.js';

runAttackSuite({
  // The sandbox frame ends with its element, as when its process dies: the newest frame is the test's own.
  killWorkers: async () => {
    const frames = document.querySelectorAll('iframe[sandbox]');
    frames[frames.length - 1]?.remove();
  },
  // Sessions from the snapshot this page makes; attacks-persisted.browser.test.ts covers stored ones.
  createSandbox: (options = {}) =>
    createTestSandbox({ limits: attackLimits, pool: { warm: 1 }, snapshotCache: false, ...options } as never),
});
