import type { CacheInvalidation } from '../drivers/driver.js';
import type { EvictionReason } from './events.js';

interface L2ReadMarker {
  /** Set by a write of the key while the read runs: its result must not be promoted into L1. */
  invalidated: boolean;
  /** Reads of the key in progress sharing this marker. */
  readers: number;
}

/**
 * L2 reads in progress per key. A write of the key (here or, through an invalidation message, elsewhere) marks
 * them, so their result, older than the write, is not promoted into L1 over it.
 */
export class L2ReadMarkers {
  readonly #reads = new Map<string, L2ReadMarker>();

  get size(): number {
    return this.#reads.size;
  }

  start(key: string): L2ReadMarker {
    let marker = this.#reads.get(key);
    if (marker === undefined) {
      marker = { invalidated: false, readers: 0 };
      this.#reads.set(key, marker);
    }
    marker.readers++;
    return marker;
  }

  end(key: string, marker: L2ReadMarker): void {
    marker.readers--;
    if (marker.readers === 0 && this.#reads.get(key) === marker) this.#reads.delete(key);
  }

  invalidate(key: string): void {
    const read = this.#reads.get(key);
    if (read !== undefined) read.invalidated = true;
  }

  invalidateAll(): void {
    for (const read of this.#reads.values()) read.invalidated = true;
  }
}

export type { L2ReadMarker };

/** What an invalidation message from another instance acts on. */
export interface InvalidationTarget {
  readonly instanceId: string;
  readonly namespace: string;
  /** Forget every local copy and tag version (L1 and remembered tags). */
  clearLocal(): void;
  /** Drop the key's L1 copy; true when there was one. */
  dropKey(key: string): boolean;
  /** Loads and L2 reads of the key in progress must not cache their result. */
  invalidateKey(key: string): void;
  invalidateAll(): void;
  rememberTag(tag: string, version: string | number): void;
  dropTagged(tags: readonly string[], reason: EvictionReason): void;
  evicted(key: string, reason: EvictionReason): void;
}

/** Applies a message another instance published (its own messages and other namespaces are ignored). */
export function applyInvalidation(message: CacheInvalidation, target: InvalidationTarget): void {
  if (message.type === 'resync') {
    // Messages may have been missed while the subscription was down: trust nothing held locally.
    target.clearLocal();
    return;
  }
  if (message.origin === target.instanceId || message.namespace !== target.namespace) return;
  if (message.type === 'keys') {
    for (const key of message.keys) {
      target.invalidateKey(key);
      if (target.dropKey(key)) target.evicted(key, 'remote');
    }
  } else if (message.type === 'tags') {
    for (const [tag, version] of Object.entries(message.tags)) target.rememberTag(tag, version);
    target.dropTagged(Object.keys(message.tags), 'remote');
    target.invalidateAll();
  } else if (message.type === 'clear') {
    target.clearLocal();
    target.invalidateAll();
  }
}
