import { AgenticGenError, type CodeSandbox, type CodeSession, throwIfAborted } from '@agenticgen/core';
import { type ResolvedLimits, resolveLimits, resolvePool, type SandboxOptions } from '../options.js';
import { readEnvelope } from './envelope.js';
import { PythonSession } from './python-session.js';
import { type SandboxTransport, WorkerLink } from './worker-link.js';
import { WorkerPool } from './worker-pool.js';

/** A `CodeSandbox` plus what operators need to watch it. */
export interface PythonSandbox extends CodeSandbox {
  /** Starts the isolated layer and fills the pool now instead of at the first session. */
  warmUp(): Promise<void>;
  /** Counters: workers alive (starting, idle, in use), idle workers, sessions open, untrusted messages dropped. */
  stats(): { workers: number; idleWorkers: number; sessions: number; droppedMessages: number };
}

/** Shared logic of both runtimes: validation of every message, the pool, sessions, limits. */
export function createSandboxCore(transport: SandboxTransport, options: SandboxOptions = {}): PythonSandbox {
  const limits: ResolvedLimits = resolveLimits(options.limits);
  const poolOptions = resolvePool(options.pool);
  const links = new Map<number, WorkerLink>();
  const sessions = new Set<PythonSession>();
  let nextWorker = 1;
  let dropped = 0;
  let started: Promise<void> | undefined;
  let disposed = false;
  let crash: string | undefined;

  const drop = (_reason: string) => {
    dropped++;
  };

  transport.onEnvelope((raw) => {
    const envelope = readEnvelope(raw);
    if (envelope === undefined || (envelope.t !== 'message' && envelope.t !== 'exit')) {
      drop('malformed envelope');
      return;
    }
    const link = links.get(envelope.w);
    if (link === undefined) {
      drop(`unknown worker ${envelope.w}`);
      return;
    }
    if (envelope.t === 'exit') links.delete(envelope.w);
    link.receive(envelope);
  });

  transport.onCrash((reason) => {
    crash = reason;
    for (const link of [...links.values()])
      link.receive({ t: 'exit', w: link.id, reason: `sandbox process: ${reason}` });
    links.clear();
    started = undefined;
  });

  const pool = new WorkerPool(() => {
    const link = new WorkerLink(nextWorker++, transport, drop);
    links.set(link.id, link);
    link.onExit(() => links.delete(link.id));
    transport.spawn(link.id);
    return link;
  }, poolOptions);

  function start(): Promise<void> {
    if (disposed) return Promise.reject(new AgenticGenError('disposed', '[sandbox] the sandbox was disposed'));
    if (started === undefined) {
      crash = undefined;
      started = transport.start({
        outputLimit: limits.outputLimit,
        resultLimit: limits.resultLimit,
        recursionLimit: limits.recursionLimit,
        memoryLimitBytes: limits.memoryLimitBytes,
        // 1: workers start from a fresh interpreter (no snapshot is made); see SandboxPoolOptions.
        freshInterpreters: poolOptions.freshInterpreters ? 1 : 0,
      });
      started.catch(() => {
        started = undefined;
      });
    }
    return started;
  }

  async function acquire(signal?: AbortSignal): Promise<WorkerLink> {
    await start();
    if (crash !== undefined) await start();
    return pool.acquire(signal);
  }

  const host = {
    limits,
    acquire,
    release: (link: WorkerLink) => pool.release(link),
    forget: (session: PythonSession) => sessions.delete(session),
  };

  return {
    language: 'python',
    async createSession(sessionOptions: { signal?: AbortSignal } = {}): Promise<CodeSession> {
      throwIfAborted(sessionOptions.signal, 'sandbox');
      const link = await acquire(sessionOptions.signal);
      if (disposed) {
        pool.release(link);
        throw new AgenticGenError('disposed', '[sandbox] the sandbox was disposed');
      }
      const session = new PythonSession(link, host);
      sessions.add(session);
      return session;
    },
    async warmUp(): Promise<void> {
      await start();
      pool.refill();
    },
    stats: () => ({
      workers: links.size,
      idleWorkers: pool.idleCount,
      sessions: sessions.size,
      droppedMessages: dropped,
    }),
    async dispose(): Promise<void> {
      if (disposed) return;
      disposed = true;
      pool.close();
      await Promise.allSettled([...sessions].map((session) => session.dispose()));
      await transport.close();
    },
  };
}
