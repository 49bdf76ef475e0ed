import { createSandbox } from '@agenticgen/sandbox';
import { attackLimits, runAttackSuite } from '../testing/attack-suite.js';
import { loadPyodideFile } from '../testing/browser-files.js';

runAttackSuite({
  createSandbox: () => createSandbox({ loadFile: loadPyodideFile, limits: attackLimits, pool: { warm: 1 } }),
});
