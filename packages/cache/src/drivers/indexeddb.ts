import type { AsyncResource } from '@agenticgen/core';
import { createStore, del, delMany, get, keys, set, type UseStore } from 'idb-keyval';
import { cacheError } from '../errors.js';
import { type CodecOptions, decodeEntry, encodeEntry } from '../serialization/codec.js';
import { type CacheDriver, type CacheInvalidation, hardExpiryOf } from './driver.js';

export interface IndexedDbDriverOptions extends CodecOptions {
  /** Database name (default `agenticgen-cache`). */
  databaseName?: string;
  /** Object store name (default `entries`). A database holds one store with idb-keyval; use one database per store. */
  storeName?: string;
  /**
   * Send invalidations to other tabs and workers of the origin through a `BroadcastChannel` (default true), so
   * their L1 copies are dropped on set and delete.
   */
  broadcast?: boolean;
}

/**
 * Browser L2 on IndexedDB (through idb-keyval). Entries are stored as the checksummed byte format of the other
 * drivers, so a damaged record is detected, and one IndexedDB put replaces an entry atomically.
 */
export function createIndexedDbDriver(options: IndexedDbDriverOptions = {}): CacheDriver & AsyncResource {
  const databaseName = options.databaseName ?? 'agenticgen-cache';
  const storeName = options.storeName ?? 'entries';
  const codec: CodecOptions = {};
  if (options.compression !== undefined) codec.compression = options.compression;
  if (options.compressAboveBytes !== undefined) codec.compressAboveBytes = options.compressAboveBytes;
  if (typeof indexedDB === 'undefined') {
    throw cacheError(
      'unsupported',
      'IndexedDB is not available in this runtime; use createFileDriver or createRedisDriver in Node',
    );
  }
  let store: UseStore | undefined;
  const useStore = () => {
    if (disposed) throw cacheError('disposed', 'the IndexedDB driver was disposed; create a new one');
    store ??= createStore(databaseName, storeName);
    return store;
  };
  let disposed = false;
  const channelName = `agenticgen-cache:${databaseName}:${storeName}`;
  const broadcast = options.broadcast !== false && typeof BroadcastChannel !== 'undefined';
  let sender: BroadcastChannel | undefined;
  const receivers = new Set<BroadcastChannel>();

  return {
    name: 'indexeddb',
    async get(key) {
      const stored: unknown = await get(key, useStore());
      if (stored === undefined) return undefined;
      let decoded: Awaited<ReturnType<typeof decodeEntry>>;
      try {
        if (!(stored instanceof Uint8Array)) {
          throw cacheError('cache-entry-corrupt', 'stored entry is corrupt (not a byte array); it was dropped');
        }
        decoded = await decodeEntry(stored);
        if (decoded.key !== key) {
          throw cacheError(
            'cache-entry-corrupt',
            `the record for ${JSON.stringify(key)} holds another key; it was dropped`,
          );
        }
      } catch (error) {
        await del(key, useStore()).catch(() => undefined);
        throw error;
      }
      const hardExpiry = hardExpiryOf(decoded.entry);
      if (hardExpiry !== undefined && hardExpiry <= Date.now()) {
        await del(key, useStore()).catch(() => undefined);
        return undefined;
      }
      return decoded.entry;
    },
    async set(key, entry) {
      const bytes = await encodeEntry(key, entry, codec);
      await set(key, bytes, useStore());
    },
    async delete(key) {
      await del(key, useStore());
    },
    async clear(prefix) {
      const target = useStore();
      const all = await keys<IDBValidKey>(target);
      const doomed = all.filter((key) => prefix === undefined || (typeof key === 'string' && key.startsWith(prefix)));
      if (doomed.length > 0) await delMany(doomed, target);
    },
    ...(broadcast
      ? {
          async publish(message: CacheInvalidation) {
            useStore();
            sender ??= new BroadcastChannel(channelName);
            sender.postMessage(message);
          },
          subscribe(listener: (message: CacheInvalidation) => void) {
            const receiver = new BroadcastChannel(channelName);
            receiver.onmessage = (event: MessageEvent<unknown>) => {
              const data = event.data as CacheInvalidation | null;
              if (typeof data === 'object' && data !== null && typeof data.type === 'string') listener(data);
            };
            receivers.add(receiver);
            return () => {
              receiver.close();
              receivers.delete(receiver);
            };
          },
        }
      : {}),
    async dispose() {
      disposed = true;
      sender?.close();
      for (const receiver of receivers) receiver.close();
      receivers.clear();
    },
    [Symbol.asyncDispose]() {
      return this.dispose();
    },
  };
}
