import { AgenticGenError } from '@agenticgen/core';
import type { FlatIndex } from '../indexes/flat-index.js';
import type { HnswIndex } from '../indexes/hnsw-index.js';
import { type LoadIndexOptions, loadIndex } from '../persistence/load-index.js';

/** Where in IndexedDB an index is kept. */
export interface IndexedDbLocation {
  /** Database name; default `agenticgen-vector`. */
  database?: string;
  /** Key of the index inside the database (e.g. `docs`). */
  key: string;
}

const storeName = 'indexes';

function openDatabase(name: string): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') {
    return Promise.reject(
      new AgenticGenError('unsupported', '[vector] IndexedDB is not available here; in Node use saveIndexToFile'),
    );
  }
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(storeName);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run<T>(
  location: IndexedDbLocation,
  mode: IDBTransactionMode,
  action: (store: IDBObjectStore) => IDBRequest<T>,
) {
  const database = await openDatabase(location.database ?? 'agenticgen-vector');
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = database.transaction(storeName, mode);
      const request = action(transaction.objectStore(storeName));
      // Resolve on commit, not on request success: only then is the write durable.
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error ?? request.error);
      transaction.onabort = () => reject(transaction.error ?? new Error('transaction aborted'));
    });
  } finally {
    database.close();
  }
}

function checkKey(location: IndexedDbLocation): void {
  if (typeof location?.key !== 'string' || location.key === '') {
    throw new AgenticGenError('invalid-argument', '[vector] IndexedDB persistence needs { key }');
  }
}

/** Saves an index under `key` in one transaction (the old value stays until the new one is committed). */
export async function saveIndexToIndexedDb(index: FlatIndex | HnswIndex, location: IndexedDbLocation): Promise<void> {
  checkKey(location);
  const bytes = await index.save();
  await run(location, 'readwrite', (store) => store.put(bytes, location.key));
}

/** Loads an index saved under `key`; `undefined` when there is none, `corrupt-index` when it is damaged. */
export async function loadIndexFromIndexedDb(
  location: IndexedDbLocation,
  options: LoadIndexOptions = {},
): Promise<FlatIndex | HnswIndex | undefined> {
  checkKey(location);
  const value = await run<unknown>(location, 'readonly', (store) => store.get(location.key));
  if (value === undefined) return undefined;
  if (!(value instanceof Uint8Array)) {
    throw new AgenticGenError('corrupt-index', `[vector] IndexedDB key "${location.key}" does not hold a saved index`);
  }
  return loadIndex(value, options);
}

/** Removes a saved index. */
export async function deleteIndexFromIndexedDb(location: IndexedDbLocation): Promise<void> {
  checkKey(location);
  await run(location, 'readwrite', (store) => store.delete(location.key));
}
