import { AgenticGenError, type CodeSandbox, type CodeSession, type RunResult } from '@agenticgen/core';

/** A contract-shaped sandbox evaluating tiny arithmetic, so the decorator's bookkeeping can be checked exactly. */
export function arithmeticSandbox(): CodeSandbox {
  let next = 0;
  return {
    language: 'python',
    async createSession() {
      const id = `s${++next}`;
      const session: CodeSession = {
        id,
        async run(code): Promise<RunResult> {
          if (code === 'hang') throw new AgenticGenError('timeout', '[sandbox] run timed out');
          if (code.includes('/0')) {
            return {
              ok: false,
              stdout: '',
              stderr: '',
              error: { type: 'ZeroDivisionError', message: 'division by zero', traceback: '' },
              durationMs: 4,
              truncated: false,
            };
          }
          const result = String(Function(`return (${code})`)());
          return {
            ok: true,
            result: { repr: result, mime: {} },
            stdout: '',
            stderr: '',
            durationMs: 2,
            truncated: false,
          };
        },
        writeFile: async () => {},
        readFile: async () => new Uint8Array(),
        listFiles: async () => [],
        reset: async () => {},
        dispose: async () => {},
        [Symbol.asyncDispose]() {
          return this.dispose();
        },
      };
      return session;
    },
    dispose: async () => {},
    [Symbol.asyncDispose]() {
      return this.dispose();
    },
  };
}
