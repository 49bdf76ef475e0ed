/** Why a session's worker was replaced (its Python state is gone). */
export type SessionRestartReason =
  /** The run did not stop at the interrupt within `graceMs` and its worker was terminated. */
  | 'time-limit'
  /** The worker reached its memory limit (JavaScript or wasm heap), or held more than `recycleAboveMb` after a run. */
  | 'memory-limit'
  /** The worker failed during a run (interpreter failure, JavaScript stack overflow, uncaught error). */
  | 'crash'
  /** The worker stopped between runs (the sandbox process died, or the worker was killed). */
  | 'worker-exit'
  /** The worker sent a reply that failed validation. */
  | 'invalid-reply';

/** Payload of `session-restart`. */
export interface SessionRestartEvent {
  /** The session whose state was lost. */
  sessionId: string;
  /** The cause, as a stable code. */
  reason: SessionRestartReason;
  /** What happened, for logs (never text chosen by the sandboxed code). */
  detail: string;
}

/** Payload of `snapshot-cache` (Node): where the memory snapshot of this start came from. */
export interface SnapshotCacheEvent {
  /** `restored-from-cache`: a stored snapshot passed every check; `rebuilt`: Pyodide booted and made a new one. */
  outcome: 'restored-from-cache' | 'rebuilt';
  /**
   * Why it was rebuilt: none stored (`missing`), made by another Pyodide or harness (`stale`), shorter than
   * its record (`truncated`), not matching its sha256 or record (`tampered`), above `maxBytes` (`too-large`).
   */
  reason?: 'missing' | 'stale' | 'truncated' | 'tampered' | 'too-large';
  /**
   * Whether the rebuilt snapshot was stored (false: above `maxBytes`, the directory is not writable, or the
   * sandbox process stopped or sent other bytes before it was complete).
   */
  stored?: boolean;
  /** Size of the snapshot. */
  bytes: number;
}

/** Events of a sandbox (`sandbox.events`). */
export interface SandboxEvents {
  /**
   * Node, with `snapshotCache` on: the sandbox process started from a stored snapshot (emitted at the start) or
   * made a new one (emitted once it was stored, in the background after the first session got its worker).
   */
  'snapshot-cache': SnapshotCacheEvent;
  /** A session's worker was replaced: its next run starts from a fresh interpreter and says so in `stderr`. */
  'session-restart': SessionRestartEvent;
}

/** The words of the notice a run carries after a restart, per reason. */
export const restartNotice: Record<SessionRestartReason, string> = {
  'time-limit': 'time limit',
  'memory-limit': 'memory limit',
  crash: 'worker crash',
  'worker-exit': 'worker stopped',
  'invalid-reply': 'invalid reply',
};
