import { attackLimits, runAttackSuite } from '../testing/attack-suite.js';
import { createTestSandbox } from '../testing/test-sandbox.js';

runAttackSuite({
  createSandbox: () => createTestSandbox({ limits: attackLimits, pool: { warm: 1 } }),
});
