import type { ErrorCodeTable } from '@agenticgen/core';

/** The codes `@agenticgen/sandbox` throws: the source of `SandboxErrorCode`, `sandboxError`'s defaults and docs/errors.md. */
export const sandboxErrorCodes = {
  'invalid-argument': { retryable: false, meaning: 'code, a file path or a run option is not acceptable' },
  'invalid-config': { retryable: false, meaning: 'an option of a sandbox, session or tool factory is not acceptable' },
  'sandbox-start-failed': {
    retryable: false,
    meaning: 'the worker or Pyodide failed to start (download, init, bad index URL)',
  },
  'sandbox-crashed': {
    retryable: false,
    meaning: 'the worker stopped while running (memory limit, killed, uncaught error)',
  },
  busy: { retryable: true, meaning: 'a bounded run queue is full (`maxQueued`); retry when a run finished' },
  'network-not-allowed': {
    retryable: false,
    meaning: 'a package source or request URL is not in the network allow-list',
  },
  'dependency-missing': { retryable: false, meaning: 'a Python package or a runtime peer cannot be found' },
  network: { retryable: true, meaning: 'downloading a package failed' },
  'not-found': { retryable: false, meaning: 'the named file or worker does not exist' },
  'invalid-response': { retryable: false, meaning: 'the worker answered with something the host cannot read' },
  aborted: { retryable: false, meaning: "the caller's `signal` aborted a run or the wait for a worker" },
  unsupported: {
    retryable: false,
    meaning: 'the runtime lacks a capability the sandbox needs (workers, SharedArrayBuffer)',
  },
  internal: { retryable: false, meaning: 'the worker protocol broke an invariant (a bug; the `cause` has details)' },
  disposed: { retryable: false, meaning: 'the sandbox or session was disposed' },
} as const satisfies ErrorCodeTable;

export type SandboxErrorCode = keyof typeof sandboxErrorCodes;

declare module '@agenticgen/core' {
  /** Declares this package's codes, so `new AgenticGenError(code, …)` accepts them and nothing undeclared. */
  interface ErrorCodeRegistry extends Record<SandboxErrorCode, true> {}
}
