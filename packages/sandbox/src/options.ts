import { AgenticGenError } from '@agenticgen/core';
import type { SandboxNetworkOptions } from './host/network-policy.js';

export type { SandboxNetworkOptions };

/** Limits applied to every run; each can be set per sandbox. */
export interface SandboxLimits {
  /** Default time limit of one run in milliseconds (default 30 000). `RunOptions.timeoutMs` overrides it. */
  timeoutMs?: number;
  /**
   * After the time limit, how long an interrupted run may take to stop before its worker is terminated and
   * replaced (default 500 ms). Bytecode loops stop at once; `time.sleep`, long C loops and code that catches
   * `BaseException` need the terminate.
   */
  graceMs?: number;
  /** Characters kept per stream (stdout, stderr) per run (default 1 000 000); the rest is dropped, `truncated` set. */
  outputLimit?: number;
  /** Characters kept of the result's repr, of each rich representation, of error text (default 100 000). */
  resultLimit?: number;
  /** Python recursion limit; code may lower it but never raise it past this value (default 1000). */
  recursionLimit?: number;
  /**
   * Memory of one worker in MiB, its wasm heap and its JavaScript heap together (default 1024, 256–4095). An
   * eighth (at least 64 MiB) is the JavaScript heap's share, a hard V8 limit in Node; the rest caps the wasm heap,
   * whose growth beyond it fails with MemoryError. A run that ends above the limit fails with MemoryError and the
   * worker is replaced.
   */
  memoryLimitMb?: number;
  /** A worker whose memory (wasm + JavaScript heap) is above this after a run is replaced (default 75% of `memoryLimitMb`). */
  recycleAboveMb?: number;
}

/** The pool of prewarmed workers, each restored from the memory snapshot. */
export interface SandboxPoolOptions {
  /** Restored workers kept ready while the sandbox is in use (default 1). */
  warm?: number;
  /** Ready workers kept even after `idleTimeoutMs` without a new session (default 0). */
  min?: number;
  /** Most workers alive at once, sessions included (default 8); `createSession` waits for a free one. */
  max?: number;
  /**
   * Memory all workers of this sandbox may be given together, in MiB (default 16 384): `max × memoryLimitMb`
   * must not exceed it, so the sandbox as a whole stays within what the machine can spare.
   */
  memoryBudgetMb?: number;
  /** Without a new session for this long, ready workers beyond `min` are stopped (default 60 000 ms). */
  idleTimeoutMs?: number;
  /**
   * Start every worker from a fresh interpreter instead of the memory snapshot (default false). Each session
   * then gets its own `hash()` secret — CPython draws it once, at interpreter start, so snapshot-restored
   * sessions share the snapshot's — at the price of a cold start (about 1.3 s in Node) per worker; a warm
   * pool hides it from `createSession` as long as sessions are not created faster than workers start.
   */
  freshInterpreters?: boolean;
}

/**
 * Limits that keep one caller from starving the others. Sessions each have their own worker and run one
 * operation at a time; these bound what may wait. Past a limit the call fails at once with the retryable
 * `busy` error instead of queueing.
 */
export interface SandboxFairnessOptions {
  /** Operations (runs, file calls) that may wait behind the one in progress in one session (default 16). */
  maxQueuedPerSession?: number;
  /** Sessions one owner (`createSession({ owner })`) may hold at once (default: no limit besides `pool.max`). */
  maxSessionsPerOwner?: number;
  /** Operations that may wait across all sessions of one owner (default: no limit besides the per-session one). */
  maxQueuedPerOwner?: number;
}

/** Options shared by the Node and the browser sandbox. */
export interface SandboxOptions {
  /**
   * Packages of the lock file to load (with their dependencies) into the snapshot, so every session can import
   * them at once. Their files come only from `packageBaseUrl`, never from a CDN, and are checked against the
   * lock file's sha256. The standard library needs nothing here.
   */
  packages?: string[];
  /**
   * Lock file in Pyodide's `pyodide-lock.json` format. Node: a path, a file URL, or an http(s) URL on
   * `network.allowedHosts`; browser: an http(s) URL on `network.allowedHosts`. Default: Pyodide's own.
   */
  lockFileURL?: string;
  /**
   * Where the packages' files are. Node: a directory path, a file URL, or an http(s) URL on
   * `network.allowedHosts`; browser: an http(s) URL on `network.allowedHosts`. Required with `packages`.
   */
  packageBaseUrl?: string;
  /**
   * Hosts the sandbox host may download package files from (none by default). The downloads happen outside
   * the sandbox; Python code never gets network, whatever is listed.
   */
  network?: SandboxNetworkOptions;
  /** Limits of each run. */
  limits?: SandboxLimits;
  /** Pool sizing. */
  pool?: SandboxPoolOptions;
  /** Per-session and per-owner limits on waiting work. */
  fairness?: SandboxFairnessOptions;
}

export interface ResolvedLimits {
  timeoutMs: number;
  graceMs: number;
  outputLimit: number;
  resultLimit: number;
  recursionLimit: number;
  /** The worker's whole memory: wasm heap + JavaScript heap. */
  memoryLimitBytes: number;
  /** The JavaScript heap's share of `memoryLimitBytes` (the rest caps the wasm heap). */
  jsHeapLimitBytes: number;
  recycleAboveBytes: number;
}

export interface ResolvedFairness {
  maxQueuedPerSession: number;
  maxSessionsPerOwner: number;
  maxQueuedPerOwner: number;
}

export interface ResolvedPool {
  warm: number;
  min: number;
  max: number;
  memoryBudgetMb: number;
  idleTimeoutMs: number;
  freshInterpreters: boolean;
}

function positive(
  name: string,
  value: number | undefined,
  fallback: number,
  maximum = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > maximum) {
    throw new AgenticGenError(
      'invalid-config',
      `[sandbox] ${name} must be a number above 0${maximum < Number.MAX_SAFE_INTEGER ? ` and at most ${maximum}` : ''}; got ${String(value)}`,
    );
  }
  return value;
}

function count(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new AgenticGenError('invalid-config', `[sandbox] ${name} must be an integer ≥ 0; got ${String(value)}`);
  }
  return value;
}

const minimumMemoryMb = 256;

/** The JavaScript heap's share of a worker's memory, in whole MiB. */
export function jsHeapShareMb(memoryLimitMb: number): number {
  return Math.max(64, Math.floor(memoryLimitMb / 8));
}

/** Every worker may use its whole limit at once: together they must fit the sandbox's memory budget. */
export function checkMemoryBudget(limits: ResolvedLimits, pool: ResolvedPool): void {
  const perWorkerMb = limits.memoryLimitBytes / 1048576;
  if (pool.max * perWorkerMb > pool.memoryBudgetMb) {
    throw new AgenticGenError(
      'invalid-config',
      `[sandbox] pool.max (${pool.max}) × limits.memoryLimitMb (${perWorkerMb}) = ${pool.max * perWorkerMb} MiB exceeds pool.memoryBudgetMb (${pool.memoryBudgetMb}); lower pool.max or memoryLimitMb, or raise the budget`,
      { data: { max: pool.max, memoryLimitMb: perWorkerMb, memoryBudgetMb: pool.memoryBudgetMb } },
    );
  }
}

export function resolveLimits(limits: SandboxLimits = {}): ResolvedLimits {
  const memoryLimitMb = positive('limits.memoryLimitMb', limits.memoryLimitMb, 1024, 4095);
  if (memoryLimitMb < minimumMemoryMb) {
    throw new AgenticGenError(
      'invalid-config',
      `[sandbox] limits.memoryLimitMb must be at least ${minimumMemoryMb} (an interpreter needs about 100 MiB to start); got ${memoryLimitMb}`,
    );
  }
  const recycleAboveMb = positive('limits.recycleAboveMb', limits.recycleAboveMb, memoryLimitMb * 0.75, 4095);
  const recursionLimit = positive('limits.recursionLimit', limits.recursionLimit, 1000, 20_000);
  return {
    timeoutMs: positive('limits.timeoutMs', limits.timeoutMs, 30_000),
    graceMs: positive('limits.graceMs', limits.graceMs, 500),
    outputLimit: Math.floor(positive('limits.outputLimit', limits.outputLimit, 1_000_000)),
    resultLimit: Math.floor(positive('limits.resultLimit', limits.resultLimit, 100_000)),
    recursionLimit: Math.max(50, Math.floor(recursionLimit)),
    memoryLimitBytes: Math.floor(memoryLimitMb * 1024 * 1024),
    jsHeapLimitBytes: jsHeapShareMb(memoryLimitMb) * 1024 * 1024,
    recycleAboveBytes: Math.floor(recycleAboveMb * 1024 * 1024),
  };
}

export function resolvePool(pool: SandboxPoolOptions = {}): ResolvedPool {
  const resolved = {
    warm: count('pool.warm', pool.warm, 1),
    min: count('pool.min', pool.min, 0),
    max: count('pool.max', pool.max, 8),
    memoryBudgetMb: positive('pool.memoryBudgetMb', pool.memoryBudgetMb, 16_384),
    idleTimeoutMs: positive('pool.idleTimeoutMs', pool.idleTimeoutMs, 60_000),
    freshInterpreters: pool.freshInterpreters === true,
  };
  if (resolved.max < 1) throw new AgenticGenError('invalid-config', '[sandbox] pool.max must be at least 1');
  if (resolved.min > resolved.max || resolved.warm > resolved.max) {
    throw new AgenticGenError('invalid-config', '[sandbox] pool.min and pool.warm must not exceed pool.max');
  }
  return resolved;
}

export function resolveFairness(fairness: SandboxFairnessOptions = {}): ResolvedFairness {
  const unlimited = Number.POSITIVE_INFINITY;
  const resolved = {
    maxQueuedPerSession: count('fairness.maxQueuedPerSession', fairness.maxQueuedPerSession, 16),
    maxSessionsPerOwner: count('fairness.maxSessionsPerOwner', fairness.maxSessionsPerOwner, unlimited),
    maxQueuedPerOwner: count('fairness.maxQueuedPerOwner', fairness.maxQueuedPerOwner, unlimited),
  };
  if (resolved.maxSessionsPerOwner < 1) {
    throw new AgenticGenError('invalid-config', '[sandbox] fairness.maxSessionsPerOwner must be at least 1');
  }
  return resolved;
}
