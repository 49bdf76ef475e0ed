/**
 * The working-memory contract: one JSON object per scope (a user, a thread) that an agent reads in its
 * instructions and updates through a tool. Writes are compare-and-set on a version so two writers never
 * silently overwrite each other.
 */
import type { StoreCallOptions } from './store-call-options.js';

/** Whose working memory: a user (`resource`) across threads, or one thread. */
export interface WorkingMemoryScope {
  /** `resource` for per-user memory, `thread` for per-thread memory. */
  kind: 'resource' | 'thread';
  /** The user (resource) or thread id. */
  id: string;
}

/** A stored working memory. */
export interface WorkingMemoryRecord {
  /** The object (plain JSON). */
  value: Record<string, unknown>;
  /** Increments by one at each write, starting at 1. */
  version: number;
  /** Last write, epoch milliseconds. */
  updatedAt: number;
}

/** Working memory. Every operation takes `StoreCallOptions` last (an `AbortSignal`). */
export interface WorkingMemoryStore {
  /** The record, or `undefined` when never written. */
  getWorkingMemory(scope: WorkingMemoryScope, options?: StoreCallOptions): Promise<WorkingMemoryRecord | undefined>;
  /**
   * Writes `value`. With `expectedVersion` the write happens only when the stored version equals it
   * (0 = not written yet), else it fails with `conflict`; without it, the write is unconditional.
   */
  setWorkingMemory(
    scope: WorkingMemoryScope,
    value: Record<string, unknown>,
    options?: StoreCallOptions & { expectedVersion?: number },
  ): Promise<WorkingMemoryRecord>;
  /** Removes it; no error when absent. */
  deleteWorkingMemory(scope: WorkingMemoryScope, options?: StoreCallOptions): Promise<void>;
}
