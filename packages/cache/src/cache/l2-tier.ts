import { AgenticGenError } from '@agenticgen/core';
import { type CacheDriver, type CacheEntry, hardExpiryOf } from '../drivers/driver.js';
import { cacheError, toCacheError } from '../errors.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { Deadlines } from './deadlines.js';
import type { CacheEvents } from './events.js';

type PendingWrite = { kind: 'set'; entry: CacheEntry } | { kind: 'delete' };

/** What `attempt` returns for an operation that failed, timed out or was skipped by the open circuit. */
export const failed: unique symbol = Symbol('l2-failed');

export interface L2TierOptions {
  driver: CacheDriver;
  timeoutMs: number;
  failureThreshold: number;
  retryAfterMs: number;
  writeBehind: boolean;
  onError: (event: CacheEvents['cache-error']) => void;
  /** Called after a write-behind batch reached L2, with the user keys it covered. */
  onBatchWritten: (keys: string[]) => Promise<void>;
}

/**
 * Every L2 access goes through here: a bounded timeout, one circuit breaker for every operation, read
 * de-duplication, and the write-behind queue (coalesced per key, so a read of a key with a pending write sees that
 * write).
 */
export class L2Tier {
  readonly driver: CacheDriver;
  readonly #options: L2TierOptions;
  readonly #reads = new Map<string, Promise<CacheEntry | undefined>>();
  readonly #pending = new Map<string, { userKey: string; write: PendingWrite }>();
  readonly #circuit: CircuitBreaker;
  #flushing: Promise<void> | undefined;
  readonly #deadlines: Deadlines;
  errors = 0;
  skipped = 0;

  constructor(options: L2TierOptions) {
    this.driver = options.driver;
    this.#options = options;
    this.#deadlines = new Deadlines(options.timeoutMs);
    this.#circuit = new CircuitBreaker(options.failureThreshold, options.retryAfterMs);
  }

  /** Reads a full key; never rejects (failures become `cache-error` events and a miss). */
  read(fullKey: string, userKey: string): Promise<CacheEntry | undefined> {
    // Size first: with no queued writes (the common case) the key is not hashed for this lookup.
    const pending = this.#pending.size === 0 ? undefined : this.#pending.get(fullKey);
    if (pending !== undefined) {
      return Promise.resolve(pending.write.kind === 'set' ? pending.write.entry : undefined);
    }
    const existing = this.#reads.get(fullKey);
    if (existing !== undefined) return existing;
    const admission = this.#circuit.admit();
    if (admission === 'skip') {
      this.skipped++;
      return Promise.resolve(undefined);
    }
    // One promise per read: the driver's result and the time limit race to settle it (no wrapper promises).
    const read = new Promise<CacheEntry | undefined>((resolve) => {
      const fail = (error: unknown) => {
        if (this.#reads.get(fullKey) === read) this.#reads.delete(fullKey);
        const wrapped = toCacheError(error, `${this.driver.name} get`);
        // A corrupt entry is a data problem, not an availability one: L2 answered.
        if (AgenticGenError.hasCode(wrapped, 'cache-entry-corrupt')) this.#circuit.success(admission);
        else this.#circuit.failure(admission);
        this.errors++;
        this.#options.onError({ key: userKey, tier: 'l2', operation: 'get', error: wrapped });
        resolve(undefined);
      };
      const deadline = this.#deadlines.start(() => fail(this.#timeoutError('get')));
      let result: Promise<CacheEntry | undefined>;
      try {
        result = this.driver.get(fullKey);
      } catch (error) {
        result = Promise.reject(error); // a driver that throws instead of rejecting still only costs a miss
      }
      result.then(
        (entry) => {
          if (!this.#deadlines.settle(deadline)) return;
          if (this.#reads.get(fullKey) === read) this.#reads.delete(fullKey);
          this.#circuit.success(admission);
          const hardExpiry = entry === undefined ? undefined : hardExpiryOf(entry);
          resolve(hardExpiry !== undefined && hardExpiry <= Date.now() ? undefined : entry);
        },
        (error: unknown) => {
          if (this.#deadlines.settle(deadline)) fail(error);
        },
      );
    });
    this.#reads.set(fullKey, read);
    return read;
  }

  /** Writes through (awaited, bounded) or queues the write. Rejects only for values the driver cannot store. */
  async write(fullKey: string, userKey: string, write: PendingWrite): Promise<boolean> {
    this.#reads.delete(fullKey); // a read started before this write must not answer readers that come after it
    if (this.#options.writeBehind) {
      this.#pending.set(fullKey, { userKey, write });
      this.#scheduleFlush();
      return false;
    }
    return this.#apply(fullKey, userKey, write, true);
  }

  /** Queues a write for the background whatever the write mode (the L2 half of `setSync`). */
  queue(fullKey: string, userKey: string, write: PendingWrite): void {
    this.#reads.delete(fullKey);
    this.#pending.set(fullKey, { userKey, write });
    this.#scheduleFlush();
  }

  /** Runs an optional driver operation (clear, publish) bounded by the timeout; failures become events. */
  async run(operation: string, action: () => Promise<void>, key?: string): Promise<boolean> {
    return (await this.attempt(operation, action, key)) !== failed;
  }

  /**
   * Runs a driver operation through the circuit, bounded by the timeout; returns its result, or `failed` after
   * reporting the failure (or the skip) as an event.
   */
  async attempt<T>(operation: string, action: () => Promise<T>, key?: string): Promise<T | typeof failed> {
    const admission = this.#circuit.admit();
    if (admission === 'skip') {
      this.#reportSkipped(operation, key);
      return failed;
    }
    try {
      const result = await this.#bounded(action(), operation);
      this.#circuit.success(admission);
      return result;
    } catch (error) {
      this.#circuit.failure(admission);
      this.errors++;
      const event: CacheEvents['cache-error'] = {
        tier: 'l2',
        operation,
        error: toCacheError(error, `${this.driver.name} ${operation}`),
      };
      if (key !== undefined) event.key = key;
      this.#options.onError(event);
      return failed;
    }
  }

  /** Writes now whatever the write mode (tag versions must be in L2 before others are told about them). */
  writeThrough(fullKey: string, userKey: string, write: PendingWrite): Promise<boolean> {
    this.#reads.delete(fullKey);
    this.#pending.delete(fullKey);
    return this.#apply(fullKey, userKey, write, false);
  }

  /**
   * A write (or tag, clear or publish operation) the open circuit kept from L2 is reported, unlike a skipped entry
   * read: L2 may keep an older value that other processes read until it expires.
   */
  #reportSkipped(operation: string, key: string | undefined): void {
    this.skipped++;
    const event: CacheEvents['cache-error'] = {
      tier: 'l2',
      operation,
      error: cacheError(
        'cache-l2-failed',
        `${this.driver.name} ${operation} skipped: the L2 circuit is open after repeated failures`,
        { retryable: true, data: { circuit: 'open' } },
      ),
    };
    if (key !== undefined) event.key = key;
    this.#options.onError(event);
  }

  /** Drops queued writes whose key starts with `prefix` (a clear supersedes them). */
  dropPending(prefix: string): void {
    for (const key of this.#pending.keys()) if (key.startsWith(prefix)) this.#pending.delete(key);
  }

  /** Resolves when every queued write-behind operation has been attempted. */
  async flush(): Promise<void> {
    while (this.#pending.size > 0 || this.#flushing !== undefined) {
      if (this.#flushing === undefined) this.#flushing = this.#drain();
      await this.#flushing;
    }
  }

  #scheduleFlush(): void {
    if (this.#flushing !== undefined) return;
    this.#flushing = new Promise<void>((resolve) => setTimeout(resolve, 0)).then(() => this.#drain());
  }

  async #drain(): Promise<void> {
    try {
      while (this.#pending.size > 0) {
        const batch = [...this.#pending];
        this.#pending.clear();
        const written = await Promise.all(
          batch.map(([fullKey, { userKey, write }]) => this.#apply(fullKey, userKey, write, false)),
        );
        const keys = batch.filter((_, index) => written[index]).map(([, { userKey }]) => userKey);
        if (keys.length > 0) await this.#options.onBatchWritten(keys);
      }
    } finally {
      this.#flushing = undefined;
    }
  }

  async #apply(fullKey: string, userKey: string, write: PendingWrite, rethrowBadValue: boolean): Promise<boolean> {
    const operation = write.kind;
    const admission = this.#circuit.admit();
    if (admission === 'skip') {
      this.#reportSkipped(operation, userKey);
      return false;
    }
    try {
      await this.#bounded(
        write.kind === 'set' ? this.driver.set(fullKey, write.entry) : this.driver.delete(fullKey),
        operation,
      );
      this.#circuit.success(admission);
      return true;
    } catch (error) {
      const badValue = AgenticGenError.hasCode(error, 'cache-value-unsupported');
      // A value the driver cannot store says nothing about L2's health.
      if (badValue) this.#circuit.undecided(admission);
      else this.#circuit.failure(admission);
      if (rethrowBadValue && badValue) throw error;
      this.errors++;
      this.#options.onError({
        key: userKey,
        tier: 'l2',
        operation,
        error: toCacheError(error, `${this.driver.name} ${operation}`),
      });
      return false;
    }
  }

  #bounded<T>(promise: Promise<T>, operation: string): Promise<T> {
    return this.#deadlines.bound(promise, () => this.#timeoutError(operation));
  }

  #timeoutError(operation: string) {
    const timeoutMs = this.#options.timeoutMs;
    return cacheError('timeout', `${this.driver.name} ${operation} took longer than l2TimeoutMs (${timeoutMs} ms)`, {
      data: { timeoutMs },
    });
  }
}
