import { AgenticGenError, type CodeSandbox, type CodeSession } from '@agenticgen/core';
import type { PythonService } from './types.ts';

export interface PythonServiceOptions {
  /** The sandbox, instrumented by the metrics package when it is available. */
  sandbox: CodeSandbox;
  /** Scratchpad sessions kept at once; the least recently used is closed beyond this (default 8). */
  maxSessions?: number;
  /** A scratchpad session unused for this long is closed (default 10 minutes). */
  idleMs?: number;
}

interface SessionEntry {
  session: Promise<CodeSession>;
  lastUsed: number;
  /** Runs of one session are serialised: Python state is shared, and the interpreter runs one thing at a time. */
  queue: Promise<unknown>;
}

/**
 * Python over a `CodeSandbox` (Pyodide workers from @agenticgen/sandbox). Named sessions keep their
 * variables between runs (the UI's scratchpad); a run without a session id gets a fresh session that is
 * released afterwards (the chat's `run_python` tool).
 */
export function createPythonService(options: PythonServiceOptions): PythonService {
  const { sandbox } = options;
  const maxSessions = options.maxSessions ?? 8;
  const idleMs = options.idleMs ?? 10 * 60_000;
  const sessions = new Map<string, SessionEntry>();
  let disposed = false;

  const close = (id: string) => {
    const entry = sessions.get(id);
    sessions.delete(id);
    void entry?.session.then((session) => session.dispose()).catch(() => {});
  };
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const [id, entry] of sessions) if (now - entry.lastUsed > idleMs) close(id);
  }, 30_000);
  sweeper.unref();

  const sessionFor = (id: string): SessionEntry => {
    let entry = sessions.get(id);
    if (entry === undefined) {
      if (sessions.size >= maxSessions) {
        const oldest = [...sessions.entries()].sort((a, b) => a[1].lastUsed - b[1].lastUsed)[0];
        if (oldest !== undefined) close(oldest[0]);
      }
      const session = sandbox.createSession();
      session.catch(() => sessions.delete(id));
      entry = { session, lastUsed: Date.now(), queue: Promise.resolve() };
      sessions.set(id, entry);
    }
    entry.lastUsed = Date.now();
    return entry;
  };

  return {
    async run(code, runOptions) {
      if (disposed) throw new AgenticGenError('disposed', '[server] the sandbox is shut down');
      const runSettings = {
        ...(runOptions.timeoutMs === undefined ? {} : { timeoutMs: runOptions.timeoutMs }),
        ...(runOptions.signal === undefined ? {} : { signal: runOptions.signal }),
      };
      if (runOptions.sessionId === undefined) {
        const session = await sandbox.createSession(
          runOptions.signal === undefined ? {} : { signal: runOptions.signal },
        );
        try {
          return { ...(await session.run(code, runSettings)), sessionId: session.id };
        } finally {
          void session.dispose().catch(() => {});
        }
      }
      const sessionId = runOptions.sessionId;
      const entry = sessionFor(sessionId);
      const result = entry.queue.then(async () => (await entry.session).run(code, runSettings));
      entry.queue = result.catch(() => {});
      return { ...(await result), sessionId };
    },
    async dispose() {
      disposed = true;
      clearInterval(sweeper);
      for (const id of [...sessions.keys()]) close(id);
      await sandbox.dispose();
    },
  };
}
