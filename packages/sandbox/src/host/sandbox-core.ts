import {
  AgenticGenError,
  type CodeSandbox,
  type CodeSession,
  createEventBus,
  disposeOnce,
  type EventBus,
  throwIfAborted,
} from '@agenticgen/core';
import {
  checkMemoryBudget,
  type ResolvedLimits,
  resolveFairness,
  resolveLimits,
  resolvePool,
  type SandboxOptions,
} from '../options.js';
import { readEnvelope } from './envelope.js';
import { PythonSession } from './python-session.js';
import type { WaitingBudget } from './run-queue.js';
import type { SandboxEvents } from './sandbox-events.js';
import { type SandboxTransport, WorkerLink } from './worker-link.js';
import { WorkerPool } from './worker-pool.js';

export type {
  SandboxEvents,
  SessionRestartEvent,
  SessionRestartReason,
  SnapshotCacheEvent,
} from './sandbox-events.js';

/** Options of `createSession`. */
export interface PythonSessionOptions {
  /** Cancels waiting for a worker. */
  signal?: AbortSignal;
  /** Who the session is for (a user, a tenant): `fairness.maxSessionsPerOwner` / `maxQueuedPerOwner` apply per owner. */
  owner?: string;
}

/** A `CodeSandbox` plus what operators need to watch it. */
export interface PythonSandbox extends CodeSandbox {
  /** Opens a new isolated session; fails with `busy` when its owner holds `fairness.maxSessionsPerOwner`. */
  createSession(options?: PythonSessionOptions): Promise<CodeSession>;
  /** `session-restart`: a session lost its state (why, in `reason`). */
  readonly events: EventBus<SandboxEvents>;
  /** Starts the isolated layer and fills the pool now instead of at the first session. */
  warmUp(): Promise<void>;
  /** Counters: workers alive (starting, idle, in use), idle workers, sessions open, untrusted messages dropped. */
  stats(): { workers: number; idleWorkers: number; sessions: number; droppedMessages: number };
}

/** Shared logic of both runtimes: validation of every message, the pool, sessions, limits. */
export function createSandboxCore(transport: SandboxTransport, options: SandboxOptions = {}): PythonSandbox {
  const limits: ResolvedLimits = resolveLimits(options.limits);
  const poolOptions = resolvePool(options.pool);
  checkMemoryBudget(limits, poolOptions);
  const fairness = resolveFairness(options.fairness);
  const events = createEventBus<SandboxEvents>();
  /** Sessions held and operations waiting, per owner. */
  const owners = new Map<string, WaitingBudget & { sessions: number }>();
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

  transport.onSnapshotCache?.((event) => {
    events.emit('snapshot-cache', event);
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
      started = transport
        .start({
          outputLimit: limits.outputLimit,
          resultLimit: limits.resultLimit,
          recursionLimit: limits.recursionLimit,
          memoryLimitBytes: limits.memoryLimitBytes,
          jsHeapLimitBytes: limits.jsHeapLimitBytes,
          // 1: workers start from a fresh interpreter (no snapshot is made); see SandboxPoolOptions.
          freshInterpreters: poolOptions.freshInterpreters ? 1 : 0,
        })
        .then((snapshot) => {
          if (snapshot) events.emit('snapshot-cache', snapshot);
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
    maxQueuedPerSession: fairness.maxQueuedPerSession,
    acquire,
    release: (link: WorkerLink) => pool.release(link),
    forget: (session: PythonSession) => sessions.delete(session),
    restarted: (event: SandboxEvents['session-restart']) => {
      events.emit('session-restart', event);
    },
  };

  /** Counts a session against its owner's limit; the returned function gives the place back. */
  function admitOwner(owner: string | undefined): { budget?: WaitingBudget; leave(): void } {
    if (owner === undefined) return { leave: () => {} };
    if (typeof owner !== 'string' || owner.length === 0 || owner.length > 200) {
      throw new AgenticGenError(
        'invalid-argument',
        '[sandbox] createSession(): owner must be a string of 1-200 characters',
      );
    }
    let budget = owners.get(owner);
    if (budget === undefined) {
      budget = { sessions: 0, waiting: 0, limit: fairness.maxQueuedPerOwner, label: 'this owner' };
      owners.set(owner, budget);
    }
    if (budget.sessions >= fairness.maxSessionsPerOwner) {
      throw new AgenticGenError(
        'busy',
        `[sandbox] this owner already holds ${budget.sessions} sessions (fairness.maxSessionsPerOwner is ${fairness.maxSessionsPerOwner}); dispose one first`,
        { retryable: true, data: { limit: fairness.maxSessionsPerOwner, option: 'fairness.maxSessionsPerOwner' } },
      );
    }
    budget.sessions++;
    const held = budget;
    let left = false;
    return {
      budget: held,
      leave: () => {
        if (left) return;
        left = true;
        held.sessions--;
        if (held.sessions === 0 && held.waiting === 0) owners.delete(owner);
      },
    };
  }

  /** Stops the pool, every session and the transport, once for every `dispose()` / `await using`. */
  const dispose = disposeOnce(async () => {
    disposed = true;
    pool.close();
    await Promise.allSettled([...sessions].map((session) => session.dispose()));
    await transport.close();
  });

  return {
    language: 'python',
    events,
    async createSession(sessionOptions: PythonSessionOptions = {}): Promise<CodeSession> {
      throwIfAborted(sessionOptions.signal, 'sandbox');
      const admission = admitOwner(sessionOptions.owner);
      let link: WorkerLink;
      try {
        link = await acquire(sessionOptions.signal);
      } catch (error) {
        admission.leave();
        throw error;
      }
      if (disposed) {
        admission.leave();
        pool.release(link);
        throw new AgenticGenError('disposed', '[sandbox] the sandbox was disposed');
      }
      const session = new PythonSession(
        link,
        {
          ...host,
          forget: (closed) => {
            admission.leave();
            host.forget(closed);
          },
        },
        admission.budget,
      );
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
    dispose,
    [Symbol.asyncDispose]: dispose,
  };
}
