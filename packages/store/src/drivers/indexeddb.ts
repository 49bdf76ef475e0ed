/**
 * The browser driver without WebAssembly: every contract on IndexedDB object stores, a few KB instead of
 * PGlite's megabytes (measured in docs/store.md). Listing threads and runs filters in JavaScript over the
 * stored records, which suits one user's data in one browser; messages are read by key range.
 */
import {
  type AgentStore,
  disposeOnce,
  type LedgerEntry,
  type Page,
  type RunCheckpoint,
  type RunSuspension,
  type StoreCallOptions,
  type StoredMessage,
  type StoredThread,
  storeLimits,
  throwIfAborted,
  type WorkingMemoryRecord,
  type WorkingMemoryScope,
} from '@agenticgen/core';
import {
  checkMetadata,
  checkPageSize,
  checkScope,
  checkStoreId,
  checkThreadSummary,
  decodeSeqCursor,
  decodeThreadCursor,
  encodeThreadCursor,
  metadataMatches,
  newStoreId,
  prepareMessages,
  storeText,
  toStoreJson,
  workingMemoryJson,
} from '@agenticgen/core/internal';
import { storeError } from '../errors.js';
import { openDatabase, result, type StoreName, tick, transact } from './indexeddb-database.js';

export interface IndexedDbStoreOptions {
  /** The IndexedDB database name (one per app or per user). */
  name: string;
}

/** A thread as stored: the contract's thread plus the next message position. */
type ThreadRecord = StoredThread & { nextSeq: number };
type SuspensionRecord = RunSuspension & { order: number };

/** Plain JSON, as a database would store it (and the same size limit). */
const json = <T>(value: T, what: string): T => JSON.parse(toStoreJson(value, what)) as T;
const publicThread = ({ nextSeq: _, ...thread }: ThreadRecord): StoredThread => thread;
const publicSuspension = ({ order: _, ...suspension }: SuspensionRecord): RunSuspension => suspension;
const scopeKey = (scope: WorkingMemoryScope) => {
  const { kind, id } = checkScope(scope);
  return `${kind}:${id}`;
};
const runRange = (runId: string) => IDBKeyRange.bound([runId], [runId, []]);

/** Opens (creating when needed) an IndexedDB store. Browser only. */
export async function createIndexedDbStore(options: IndexedDbStoreOptions): Promise<AgentStore> {
  if (typeof options?.name !== 'string' || options.name === '' || options.name.length > storeLimits.maxIdLength) {
    throw storeError(
      'invalid-config',
      `name must be a non-empty string of at most ${storeLimits.maxIdLength} characters`,
    );
  }
  if (typeof indexedDB === 'undefined') throw storeError('unsupported', 'IndexedDB is not available here');
  const database = await openDatabase(options.name);
  let closed = false;
  const run = async <T>(
    what: string,
    options: StoreCallOptions | undefined,
    stores: StoreName[],
    mode: IDBTransactionMode,
    work: (tx: IDBTransaction) => Promise<T>,
  ) => {
    if (closed) throw storeError('disposed', 'the indexeddb store is closed');
    throwIfAborted(options?.signal, 'store');
    return transact(database, stores, mode, what, work, options?.signal);
  };
  const threadMissing = (threadId: string) =>
    storeError('not-found', `thread "${threadId.slice(0, 100)}" does not exist`);
  const threadOf = async (tx: IDBTransaction, threadId: string) => {
    const thread = (await result(tx.objectStore('threads').get(checkStoreId(threadId, 'thread id')))) as
      | ThreadRecord
      | undefined;
    if (thread === undefined) throw threadMissing(threadId);
    return thread;
  };

  /** Closes the database once for every `close()` / `dispose()` / `await using`. */
  const release = disposeOnce(() => {
    closed = true;
    database.close();
  });

  return {
    name: 'indexeddb',
    close: release,
    dispose: release,
    [Symbol.asyncDispose]: release,

    createThread: (input, options) =>
      run('create thread', options, ['threads', 'meta'], 'readwrite', async (tx) => {
        const id = input.id === undefined ? newStoreId() : checkStoreId(input.id, 'thread id');
        const threads = tx.objectStore('threads');
        if ((await result(threads.getKey(id))) !== undefined) {
          throw storeError('already-exists', `thread "${id.slice(0, 100)}" already exists`);
        }
        const time = await tick(tx, 'clock');
        const thread: ThreadRecord = {
          id,
          metadata: { ...checkMetadata(input.metadata, 'thread metadata') },
          createdAt: time,
          updatedAt: time,
          nextSeq: 1,
        };
        if (input.resourceId !== undefined) thread.resourceId = checkStoreId(input.resourceId, 'resource id');
        if (input.title !== undefined) thread.title = storeText(input.title);
        threads.add(thread);
        return publicThread(thread);
      }),
    getThread: (threadId, options) =>
      run('get thread', options, ['threads'], 'readonly', async (tx) => {
        const thread = (await result(tx.objectStore('threads').get(checkStoreId(threadId, 'thread id')))) as
          | ThreadRecord
          | undefined;
        return thread === undefined ? undefined : publicThread(thread);
      }),
    updateThread: (threadId, patch, options) =>
      run('update thread', options, ['threads', 'meta'], 'readwrite', async (tx) => {
        const thread = await threadOf(tx, threadId);
        if (patch.metadata !== undefined) thread.metadata = { ...checkMetadata(patch.metadata, 'thread metadata') };
        if (patch.title !== undefined) thread.title = storeText(patch.title);
        thread.updatedAt = await tick(tx, 'clock');
        tx.objectStore('threads').put(thread);
        return publicThread(thread);
      }),
    deleteThread: (threadId, options) =>
      run('delete thread', options, ['threads', 'messages'], 'readwrite', async (tx) => {
        const id = checkStoreId(threadId, 'thread id');
        tx.objectStore('threads').delete(id);
        tx.objectStore('messages').delete(IDBKeyRange.bound([id, -Infinity], [id, Infinity]));
      }),
    listThreads: (query = {}, options) =>
      run('list threads', options, ['threads'], 'readonly', async (tx) => {
        const limit = checkPageSize(query.limit);
        const after = decodeThreadCursor(query.cursor);
        const filter = query.metadata === undefined ? undefined : checkMetadata(query.metadata, 'metadata filter');
        const all = (await result(tx.objectStore('threads').getAll())) as ThreadRecord[];
        const sorted = all
          .filter((thread) => query.resourceId === undefined || thread.resourceId === query.resourceId)
          .filter((thread) => metadataMatches(thread.metadata, filter))
          .sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
          .filter(
            (thread) =>
              after === undefined ||
              thread.updatedAt < after.updatedAt ||
              (thread.updatedAt === after.updatedAt && thread.id < after.id),
          );
        const items = sorted.slice(0, limit).map(publicThread);
        const page: Page<StoredThread> = { items };
        const last = items[items.length - 1];
        if (sorted.length > limit && last !== undefined) page.nextCursor = encodeThreadCursor(last.updatedAt, last.id);
        return page;
      }),
    appendMessages: (threadId, batch, options) =>
      run('append messages', options, ['threads', 'messages', 'meta'], 'readwrite', async (tx) => {
        checkStoreId(threadId, 'thread id');
        const prepared = prepareMessages(batch).map(({ id, messageJson, metadata }) => ({
          id,
          message: JSON.parse(messageJson) as StoredMessage['message'],
          metadata,
        }));
        const thread = await threadOf(tx, threadId);
        if (prepared.length === 0) return [];
        const time = await tick(tx, 'clock');
        const messages = tx.objectStore('messages');
        const stored = prepared.map((entry, index): StoredMessage => {
          const message: StoredMessage = {
            ...entry,
            threadId: thread.id,
            seq: thread.nextSeq + index,
            createdAt: time,
          };
          messages.add(message);
          return message;
        });
        thread.nextSeq += stored.length;
        thread.updatedAt = time;
        tx.objectStore('threads').put(thread);
        return stored;
      }),
    listMessages: (threadId, query = {}, options) =>
      run('list messages', options, ['threads', 'messages'], 'readonly', async (tx) => {
        const thread = await threadOf(tx, threadId);
        const limit = checkPageSize(query.limit);
        const cursor = decodeSeqCursor(query.cursor);
        const filter = query.metadata === undefined ? undefined : checkMetadata(query.metadata, 'metadata filter');
        const fromLast = (query.from ?? 'last') === 'last';
        const range = fromLast
          ? IDBKeyRange.upperBound([thread.id, cursor ?? Infinity], cursor !== undefined)
          : IDBKeyRange.lowerBound([thread.id, cursor ?? -Infinity], cursor !== undefined);
        // Walk the thread's key range from the wanted end; one more match than the page tells there is a next page.
        const found: StoredMessage[] = [];
        const request = tx.objectStore('messages').openCursor(range, fromLast ? 'prev' : 'next');
        await new Promise<void>((resolve, reject) => {
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            const position = request.result;
            const message = position?.value as StoredMessage | undefined;
            if (position === null || message === undefined || message.threadId !== thread.id) return resolve();
            if (metadataMatches(message.metadata, filter)) found.push(message);
            if (found.length > limit) return resolve();
            position.continue();
          };
        });
        const items = found.slice(0, limit);
        if (fromLast) items.reverse();
        const page: Page<StoredMessage> = { items };
        if (found.length > limit) {
          const edge = fromLast ? items[0] : items[items.length - 1];
          if (edge !== undefined) page.nextCursor = String(edge.seq);
        }
        return page;
      }),
    saveThreadSummary: (threadId, summary, options) =>
      run('save thread summary', options, ['threads'], 'readwrite', async (tx) => {
        const thread = await threadOf(tx, threadId);
        const checked = checkThreadSummary(summary);
        if (thread.summary !== undefined && thread.summary.throughSeq >= checked.throughSeq) return false;
        thread.summary = { ...checked, updatedAt: Date.now() };
        tx.objectStore('threads').put(thread);
        return true;
      }),

    getWorkingMemory: (scope, options) =>
      run('get working memory', options, ['working'], 'readonly', async (tx) => {
        const record = (await result(tx.objectStore('working').get(scopeKey(scope)))) as
          | (WorkingMemoryRecord & { key: string })
          | undefined;
        return record === undefined
          ? undefined
          : { value: record.value, version: record.version, updatedAt: record.updatedAt };
      }),
    setWorkingMemory: (scope, value, options = {}) =>
      run('set working memory', options, ['working'], 'readwrite', async (tx) => {
        const key = scopeKey(scope);
        const valueJson = workingMemoryJson(value);
        const store = tx.objectStore('working');
        const current = (await result(store.get(key))) as WorkingMemoryRecord | undefined;
        const version = current?.version ?? 0;
        if (options.expectedVersion !== undefined && options.expectedVersion !== version) {
          throw storeError(
            'conflict',
            `working memory was changed by another writer (version ${version}, expected ${options.expectedVersion}); read it again and retry`,
            { data: { version } },
          );
        }
        const record: WorkingMemoryRecord = {
          value: JSON.parse(valueJson),
          version: version + 1,
          updatedAt: Date.now(),
        };
        store.put({ key, ...record });
        return record;
      }),
    deleteWorkingMemory: (scope, options) =>
      run('delete working memory', options, ['working'], 'readwrite', async (tx) => {
        tx.objectStore('working').delete(scopeKey(scope));
      }),

    saveCheckpoint: (checkpoint, options) =>
      run('save checkpoint', options, ['runs'], 'readwrite', async (tx) => {
        const runId = checkStoreId(checkpoint.runId, 'run id');
        const record: RunCheckpoint = {
          runId,
          kind: checkStoreId(checkpoint.kind, 'run kind'),
          name: checkStoreId(checkpoint.name, 'run name'),
          status: checkpoint.status,
          step: checkpoint.step,
          state: json(checkpoint.state ?? null, 'checkpoint state'),
          updatedAt: Date.now(),
        };
        const runs = tx.objectStore('runs');
        const current = (await result(runs.get(runId))) as RunCheckpoint | undefined;
        if (current !== undefined && checkpoint.step < current.step) {
          throw storeError(
            'conflict',
            `run "${runId.slice(0, 100)}" is at step ${current.step}; a checkpoint of step ${checkpoint.step} is stale`,
            { data: { step: current.step } },
          );
        }
        runs.put(record);
      }),
    loadCheckpoint: (runId, options) =>
      run('load checkpoint', options, ['runs'], 'readonly', async (tx) => {
        return (await result(tx.objectStore('runs').get(checkStoreId(runId, 'run id')))) as RunCheckpoint | undefined;
      }),
    listRuns: (query, options) =>
      run('list runs', options, ['runs'], 'readonly', async (tx) => {
        const limit = checkPageSize(query.limit, 100);
        const all = (await result(tx.objectStore('runs').getAll())) as RunCheckpoint[];
        return all
          .filter((entry) => entry.status === query.status && (query.kind === undefined || entry.kind === query.kind))
          .sort((a, b) => a.updatedAt - b.updatedAt || (a.runId < b.runId ? -1 : 1))
          .slice(0, limit);
      }),
    deleteRun: (runId, options) =>
      run('delete run', options, ['runs', 'nodes', 'suspensions', 'ledger'], 'readwrite', async (tx) => {
        const id = checkStoreId(runId, 'run id');
        tx.objectStore('runs').delete(id);
        tx.objectStore('nodes').delete(runRange(id));
        tx.objectStore('suspensions').delete(runRange(id));
        const keys = await result(tx.objectStore('ledger').index('byRun').getAllKeys(id));
        for (const key of keys) tx.objectStore('ledger').delete(key);
      }),

    saveNodeResult: (runId, nodeId, output, options) =>
      run('save node result', options, ['nodes'], 'readwrite', async (tx) => {
        const key = [checkStoreId(runId, 'run id'), checkStoreId(nodeId, 'node id')];
        const nodes = tx.objectStore('nodes');
        if ((await result(nodes.getKey(key))) !== undefined) return;
        nodes.add({ runId, nodeId, result: json(output ?? null, 'node result') });
      }),
    loadNodeResults: (runId, options) =>
      run('load node results', options, ['nodes'], 'readonly', async (tx) => {
        const rows = (await result(tx.objectStore('nodes').getAll(runRange(checkStoreId(runId, 'run id'))))) as {
          nodeId: string;
          result: unknown;
        }[];
        return Object.fromEntries(rows.map((row) => [row.nodeId, row.result]));
      }),

    saveSuspension: (input, options) =>
      run('save suspension', options, ['suspensions', 'meta'], 'readwrite', async (tx) => {
        const runId = checkStoreId(input.runId, 'run id');
        const suspensionId = checkStoreId(input.suspensionId, 'suspension id');
        const suspensions = tx.objectStore('suspensions');
        if ((await result(suspensions.getKey([runId, suspensionId]))) !== undefined) {
          throw storeError(
            'already-exists',
            `suspension "${suspensionId.slice(0, 100)}" of run "${runId.slice(0, 100)}" already exists`,
          );
        }
        const record: SuspensionRecord = {
          runId,
          suspensionId,
          reason: storeText(input.reason),
          status: 'pending',
          createdAt: Date.now(),
          order: await tick(tx, 'order'),
        };
        if (input.schema !== undefined) record.schema = json(input.schema, 'suspension schema');
        suspensions.add(record);
        return publicSuspension(record);
      }),
    listSuspensions: (query, options) =>
      run('list suspensions', options, ['suspensions'], 'readonly', async (tx) => {
        const store = tx.objectStore('suspensions');
        const range = query.runId === undefined ? undefined : runRange(checkStoreId(query.runId, 'run id'));
        const all = (await result(store.getAll(range))) as SuspensionRecord[];
        return all
          .filter((entry) => query.status === undefined || entry.status === query.status)
          .sort((a, b) => a.order - b.order)
          .slice(0, storeLimits.maxPageSize)
          .map(publicSuspension);
      }),
    resolveSuspension: (runId, suspensionId, payload, options) =>
      run('resolve suspension', options, ['suspensions'], 'readwrite', async (tx) => {
        const key = [checkStoreId(runId, 'run id'), checkStoreId(suspensionId, 'suspension id')];
        const suspensions = tx.objectStore('suspensions');
        const entry = (await result(suspensions.get(key))) as SuspensionRecord | undefined;
        if (entry === undefined) {
          throw storeError(
            'not-found',
            `suspension "${suspensionId.slice(0, 100)}" of run "${runId.slice(0, 100)}" does not exist`,
          );
        }
        if (entry.status === 'resolved') return false;
        suspensions.put({ ...entry, status: 'resolved', payload: json(payload ?? null, 'suspension payload') });
        return true;
      }),

    beginCall: (key, toolName, options) =>
      run('begin call', options, ['ledger'], 'readwrite', async (tx) => {
        checkStoreId(key, 'idempotency key');
        const ledger = tx.objectStore('ledger');
        const current = (await result(ledger.get(key))) as (LedgerEntry & { runId: string }) | undefined;
        if (current === undefined) {
          const runId = key.slice(0, Math.max(0, key.lastIndexOf(':')));
          const entry = { key, runId, toolName: checkStoreId(toolName, 'tool name'), status: 'started', attempts: 1 };
          ledger.add({ ...entry, updatedAt: Date.now() });
          return undefined;
        }
        const { runId: _, ...before } = current;
        if (current.status === 'started')
          ledger.put({ ...current, attempts: current.attempts + 1, updatedAt: Date.now() });
        return before;
      }),
    completeCall: (key, outcome, options) =>
      run('complete call', options, ['ledger'], 'readwrite', async (tx) => {
        const ledger = tx.objectStore('ledger');
        const current = (await result(ledger.get(checkStoreId(key, 'idempotency key')))) as LedgerEntry | undefined;
        if (current === undefined) throw storeError('not-found', `call "${key.slice(0, 100)}" was never started`);
        ledger.put({
          ...current,
          status: 'completed',
          output: json(outcome.output ?? null, 'tool output'),
          isError: outcome.isError,
          updatedAt: Date.now(),
        });
      }),
    getCall: (key, options) =>
      run('get call', options, ['ledger'], 'readonly', async (tx) => {
        const entry = (await result(tx.objectStore('ledger').get(checkStoreId(key, 'idempotency key')))) as
          | (LedgerEntry & { runId?: string })
          | undefined;
        if (entry === undefined) return undefined;
        const { runId: _, ...rest } = entry;
        return rest;
      }),
  } satisfies AgentStore;
}
