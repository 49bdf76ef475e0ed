/**
 * The IndexedDB side of the IndexedDB driver: the object stores (versioned with `onupgradeneeded`), promises over
 * requests, and transactions that commit when the work resolves and abort when it throws. IndexedDB runs
 * readwrite transactions whose stores overlap one after another, across tabs too: that is what orders appends.
 */
import { abortErrorFrom } from '@agenticgen/core';
import { toStoreError } from '../errors.js';

/** Object stores and their keys; bump `schemaVersion` and add an upgrade step to change them. */
export const schemaVersion = 1;
export type StoreName = 'threads' | 'messages' | 'working' | 'runs' | 'nodes' | 'suspensions' | 'ledger' | 'meta';

function upgrade(database: IDBDatabase, from: number): void {
  if (from < 1) {
    database.createObjectStore('threads', { keyPath: 'id' });
    database.createObjectStore('messages', { keyPath: ['threadId', 'seq'] });
    database.createObjectStore('working', { keyPath: 'key' });
    database.createObjectStore('runs', { keyPath: 'runId' });
    database.createObjectStore('nodes', { keyPath: ['runId', 'nodeId'] });
    database.createObjectStore('suspensions', { keyPath: ['runId', 'suspensionId'] });
    database.createObjectStore('ledger', { keyPath: 'key' }).createIndex('byRun', 'runId');
    database.createObjectStore('meta', { keyPath: 'name' });
  }
}

/** Resolves with a request's result. */
export function result<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Opens (creating or upgrading) the database `name`. */
export function openDatabase(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, schemaVersion);
    request.onupgradeneeded = (event) => upgrade(request.result, event.oldVersion);
    request.onsuccess = () => {
      // Another tab opening a newer schema asks us to let go; a closed connection then fails with `disposed`.
      request.result.onversionchange = () => request.result.close();
      resolve(request.result);
    };
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error(`IndexedDB "${name.slice(0, 100)}" is held open by an older version`));
  });
}

/**
 * Runs `work` in one transaction: resolves with its value once the transaction committed, rejects (rolling
 * everything back) when it throws. `work` must only await requests of `tx`, or the transaction commits early.
 * `signal` aborting before the commit (while the transaction waits behind others, or runs) rolls it back and
 * rejects with `aborted`; once committing, the transaction's own outcome stands.
 */
export function transact<T>(
  database: IDBDatabase,
  stores: readonly StoreName[],
  mode: IDBTransactionMode,
  what: string,
  work: (tx: IDBTransaction) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const tx = database.transaction(stores, mode);
    let value: T;
    let thrown = false;
    const onAbort = () => {
      try {
        tx.abort();
      } catch {
        return; // Already committing: its outcome stands.
      }
      thrown = true;
      reject(abortErrorFrom(signal as AbortSignal, 'store'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const settled = () => signal?.removeEventListener('abort', onAbort);
    tx.oncomplete = () => {
      settled();
      resolve(value);
    };
    tx.onabort = () => {
      settled();
      if (!thrown) reject(toStoreError(tx.error ?? new Error('the transaction was aborted'), what));
    };
    work(tx).then(
      (returned) => {
        value = returned;
      },
      (error: unknown) => {
        thrown = true;
        reject(toStoreError(error, what));
        try {
          tx.abort();
        } catch {
          // Already finished: nothing was written after the failure.
        }
      },
    );
  });
}

/** The next value of a strictly increasing clock kept in `meta` (time of day, or last + 1 within a millisecond). */
export async function tick(tx: IDBTransaction, name: 'clock' | 'order'): Promise<number> {
  const meta = tx.objectStore('meta');
  const current = (await result(meta.get(name))) as { value: number } | undefined;
  const next = Math.max((current?.value ?? 0) + 1, name === 'clock' ? Date.now() : 0);
  meta.put({ name, value: next });
  return next;
}
