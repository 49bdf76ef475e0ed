import type { AsyncResource } from '@agenticgen/core';
import { cacheError } from '../errors.js';
import { cloneStorable } from '../serialization/storable.js';
import { type CacheDriver, type CacheEntry, type CacheInvalidation, hardExpiryOf } from './driver.js';

export interface MemoryDriverOptions {
  /**
   * Copy values on the way in and out with the same rules as the serialising drivers (default true), so code
   * tested against the memory driver behaves the same on file, IndexedDB or Redis.
   */
  clone?: boolean;
}

/**
 * An in-process L2 (a `Map`). Useful in tests, as the reference driver of the contract suite, and to share one
 * L2 and its invalidation messages between several caches of a process.
 */
export function createMemoryDriver(
  options: MemoryDriverOptions = {},
): CacheDriver & AsyncResource & { readonly size: number } {
  const clone = options.clone ?? true;
  const entries = new Map<string, CacheEntry>();
  const counters = new Map<string, number>();
  const listeners = new Set<(message: CacheInvalidation) => void>();
  let disposed = false;
  const check = () => {
    if (disposed) throw cacheError('disposed', 'the memory driver was disposed; create a new one');
  };
  const copy = (entry: CacheEntry): CacheEntry => (clone ? { ...entry, value: cloneStorable(entry.value) } : entry);

  return {
    name: 'memory',
    get size() {
      return entries.size;
    },
    async get(key) {
      check();
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      const hardExpiry = hardExpiryOf(entry);
      if (hardExpiry !== undefined && hardExpiry <= Date.now()) {
        entries.delete(key);
        return undefined;
      }
      return copy(entry);
    },
    async set(key, entry) {
      check();
      entries.set(key, copy(entry));
    },
    async delete(key) {
      check();
      entries.delete(key);
    },
    async clear(prefix) {
      check();
      for (const map of [entries, counters]) {
        if (prefix === undefined) map.clear();
        else for (const key of map.keys()) if (key.startsWith(prefix)) map.delete(key);
      }
    },
    async increment(key) {
      check();
      const next = (counters.get(key) ?? 0) + 1;
      counters.set(key, next);
      return next;
    },
    async readCounter(key) {
      check();
      return counters.get(key) ?? 0;
    },
    async publish(message) {
      check();
      // Delivered asynchronously, like a real broker, so senders never observe re-entrant callbacks.
      queueMicrotask(() => {
        for (const listener of listeners) listener(message);
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {
      disposed = true;
      entries.clear();
      counters.clear();
      listeners.clear();
    },
    [Symbol.asyncDispose]() {
      return this.dispose();
    },
  };
}
