import { expect, it } from 'vitest';
import { moduleAsClassicScript } from './classic-script.js';

// Evaluated with the Function constructor: this test runs in the test runner's realm, not in a sandbox.
const evaluate = (script: string) => new Function(`return ${script};`)();

it("turns Pyodide's export forms into an expression of the module's exports", () => {
  const loader = moduleAsClassicScript(
    'function dt(){return 1}var U="1.0";export{dt as loadPyodide,U as version};',
    'u',
  );
  expect(evaluate(loader).loadPyodide()).toBe(1);
  expect(evaluate(loader).version).toBe('1.0');
  const asm = moduleAsClassicScript(
    'async function _create(){return import.meta.url}export default _create;',
    'https://x.invalid/pyodide.asm.mjs',
  );
  return expect(evaluate(asm).default()).resolves.toBe('https://x.invalid/pyodide.asm.mjs');
});

it('refuses a module with static imports or without exports, naming no more than the file', () => {
  expect(() => moduleAsClassicScript('import x from "y";\nexport default x;', 'pyodide.mjs')).toThrow(
    /pyodide\.mjs is not a Pyodide bundle/,
  );
  expect(() => moduleAsClassicScript('var a = 1;', 'pyodide.mjs')).toThrow(/not a Pyodide bundle/);
});
