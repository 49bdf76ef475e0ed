import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixSignalCheckRace } from './signal-check-patch.js';

const pyodideDirectory = dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));

describe('the signal-check race fix', () => {
  it('rewrites the installed Pyodide’s read-then-clear into one atomic exchange', () => {
    const source = readFileSync(join(pyodideDirectory, 'pyodide.asm.mjs'), 'utf8');
    const fixed = fixSignalCheckRace(source);
    expect(fixed).not.toBe(source);
    expect(fixed).toContain('return Atomics.exchange(Module.Py_EmscriptenSignalBuffer,0,0)');
    expect(fixed).not.toContain('Module.Py_EmscriptenSignalBuffer[0]=0');
    expect(fixed.length - source.length).toBeLessThan(0);
  });

  it('leaves a source without the racy text unchanged', () => {
    expect(fixSignalCheckRace('export default 1;')).toBe('export default 1;');
  });
});
