import { attackLimits, runAttackSuite } from '../testing/attack-suite.js';
import { createTestSandbox } from '../testing/test-sandbox.js';

runAttackSuite({
  createSandbox: (options = {}) => createTestSandbox({ limits: attackLimits, pool: { warm: 1 }, ...options }),
});
