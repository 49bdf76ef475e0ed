/**
 * CPython's Emscripten signal check (`_Py_CheckEmscriptenSignals_Helper`, JavaScript inside
 * `pyodide.asm.mjs`) reads the interrupt buffer and then writes 0 as two separate statements. An interrupt
 * the supervisor stores between the two is erased: the run then ends only when the grace period kills the
 * worker, and the session loses its state (about 1 timed-out tight loop in 20, measured here). This rewrites
 * that body to one atomic read-and-clear before the module is evaluated. The sandbox loads Pyodide from
 * source text in both runtimes, so the fix applies to every worker.
 *
 * If a Pyodide release changes the text, nothing is rewritten and behaviour is Pyodide's own; the test beside
 * this file pins the installed release's text, so such an upgrade fails CI instead of silently bringing the
 * race back.
 */
const racyBody = 'let result=Module.Py_EmscriptenSignalBuffer[0];Module.Py_EmscriptenSignalBuffer[0]=0;return result';
const atomicBody = 'return Atomics.exchange(Module.Py_EmscriptenSignalBuffer,0,0)';

export function fixSignalCheckRace(asmSource: string): string {
  return asmSource.includes(racyBody) ? asmSource.replace(racyBody, atomicBody) : asmSource;
}
