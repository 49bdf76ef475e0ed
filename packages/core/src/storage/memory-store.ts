import type { AsyncResource } from '../contracts/async-resource.js';
import type {
  LedgerEntry,
  NewRunCheckpoint,
  RunCheckpoint,
  RunStore,
  RunSuspension,
  StoredRunStatus,
} from '../contracts/run-store.js';
import type { StoreCallOptions } from '../contracts/store-call-options.js';
import type { Page, StoredMessage, StoredThread, ThreadStore } from '../contracts/thread-store.js';
import type { WorkingMemoryRecord, WorkingMemoryScope, WorkingMemoryStore } from '../contracts/working-memory-store.js';
import { throwIfAborted } from '../errors/abort.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
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
} from './store-input.js';

/** Every store contract in one object: what the drivers of `@agenticgen/store` return too. */
export interface AgentStore extends ThreadStore, RunStore, WorkingMemoryStore, AsyncResource {
  /** Driver name (`memory`, `pglite`, `postgres`). */
  readonly name: string;
  /** The same as `dispose()`: releases connections; later calls fail with `disposed`. */
  close(): Promise<void>;
}

/** Plain JSON copy: what a database driver would give back, so callers never share objects with the store. */
const copy = <T>(value: T, what: string): T => JSON.parse(toStoreJson(value, what)) as T;

/**
 * A checkpoint as the memory store keeps it: its state as the JSON text, parsed only when read. Saving is one
 * `JSON.stringify` (a durable run saves far more often than it loads), the text is immutable so no later change
 * by the caller reaches it, and a string costs the garbage collector nothing to trace.
 */
type SavedRun = Omit<RunCheckpoint, 'state'> & { readonly stateJson: string };
const toCheckpoint = ({ stateJson, ...run }: SavedRun): RunCheckpoint => ({ ...run, state: JSON.parse(stateJson) });

/** A ledger entry as the memory store keeps it: the recorded output as JSON text, for the same reasons. */
type SavedCall = Omit<LedgerEntry, 'output'> & { outputJson?: string };
const toLedgerEntry = ({ outputJson, ...entry }: SavedCall): LedgerEntry =>
  outputJson === undefined ? entry : { ...entry, output: JSON.parse(outputJson) };

/**
 * Every store in this process's memory: for tests and demos. Nothing survives the process; it passes the same
 * contract suite as the database drivers.
 */
export function createMemoryStore(): AgentStore {
  const threads = new Map<string, StoredThread>();
  const messages = new Map<string, StoredMessage[]>();
  const working = new Map<string, WorkingMemoryRecord>();
  const runs = new Map<string, SavedRun>();
  const nodes = new Map<string, Map<string, unknown>>();
  const suspensions = new Map<string, RunSuspension[]>();
  const ledger = new Map<string, SavedCall>();
  let closed = false;
  let clock = 0;
  // Strictly increasing time, so "most recently updated" is well defined within one millisecond.
  const now = () => {
    clock = Math.max(clock + 1, Date.now());
    return clock;
  };
  // Every operation starts here. Each one completes when called (nothing to wait for), so a signal matters only
  // when it is already aborted.
  const open = (options: StoreCallOptions | undefined) => {
    if (closed) throw new AgenticGenError('disposed', '[store] the memory store is closed');
    throwIfAborted(options?.signal, 'store');
  };
  const threadOf = (threadId: string) => {
    const thread = threads.get(checkStoreId(threadId, 'thread id'));
    if (thread === undefined) {
      throw new AgenticGenError('not-found', `[store] thread "${threadId.slice(0, 100)}" does not exist`);
    }
    return thread;
  };
  const scopeKey = (scope: WorkingMemoryScope) => {
    const { kind, id } = checkScope(scope);
    return `${kind}:${id}`;
  };

  const release = async () => {
    closed = true;
  };

  return {
    name: 'memory',
    close: release,
    dispose: release,
    [Symbol.asyncDispose]: release,

    async createThread(input, options) {
      open(options);
      const id = input.id === undefined ? newStoreId() : checkStoreId(input.id, 'thread id');
      if (threads.has(id)) {
        throw new AgenticGenError('already-exists', `[store] thread "${id.slice(0, 100)}" already exists`);
      }
      const time = now();
      const thread: StoredThread = {
        id,
        metadata: { ...checkMetadata(input.metadata, 'thread metadata') },
        createdAt: time,
        updatedAt: time,
      };
      if (input.resourceId !== undefined) thread.resourceId = checkStoreId(input.resourceId, 'resource id');
      if (input.title !== undefined) thread.title = storeText(input.title);
      threads.set(id, thread);
      messages.set(id, []);
      return copy(thread, 'thread');
    },
    async saveThreadSummary(threadId, summary, options) {
      open(options);
      const thread = threadOf(threadId);
      const checked = checkThreadSummary(summary);
      if (thread.summary !== undefined && thread.summary.throughSeq >= checked.throughSeq) return false;
      thread.summary = { ...checked, updatedAt: Date.now() };
      return true;
    },
    async getThread(threadId, options) {
      open(options);
      const thread = threads.get(checkStoreId(threadId, 'thread id'));
      return thread === undefined ? undefined : copy(thread, 'thread');
    },
    async updateThread(threadId, patch, options) {
      open(options);
      const thread = threadOf(threadId);
      if (patch.metadata !== undefined) thread.metadata = { ...checkMetadata(patch.metadata, 'thread metadata') };
      if (patch.title !== undefined) thread.title = storeText(patch.title);
      thread.updatedAt = now();
      return copy(thread, 'thread');
    },
    async deleteThread(threadId, options) {
      open(options);
      threads.delete(checkStoreId(threadId, 'thread id'));
      messages.delete(threadId);
    },
    async listThreads(query = {}, options) {
      open(options);
      const limit = checkPageSize(query.limit);
      const after = decodeThreadCursor(query.cursor);
      const filter = query.metadata === undefined ? undefined : checkMetadata(query.metadata, 'metadata filter');
      const sorted = [...threads.values()]
        .filter((thread) => query.resourceId === undefined || thread.resourceId === query.resourceId)
        .filter((thread) => metadataMatches(thread.metadata, filter))
        .sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
        .filter(
          (thread) =>
            after === undefined ||
            thread.updatedAt < after.updatedAt ||
            (thread.updatedAt === after.updatedAt && thread.id < after.id),
        );
      const items = sorted.slice(0, limit).map((thread) => copy(thread, 'thread'));
      const page: Page<StoredThread> = { items };
      const last = items[items.length - 1];
      if (sorted.length > limit && last !== undefined) page.nextCursor = encodeThreadCursor(last.updatedAt, last.id);
      return page;
    },
    async appendMessages(threadId, batch, options) {
      open(options);
      const thread = threadOf(threadId);
      const prepared = prepareMessages(batch);
      const list = messages.get(thread.id) ?? [];
      const time = now();
      const stored = prepared.map(
        (entry, index): StoredMessage => ({
          id: entry.id,
          threadId: thread.id,
          seq: list.length + index + 1,
          message: JSON.parse(entry.messageJson),
          metadata: entry.metadata,
          createdAt: time,
        }),
      );
      list.push(...stored);
      thread.updatedAt = time;
      return copy(stored, 'messages');
    },
    async listMessages(threadId, query = {}, options) {
      open(options);
      const thread = threadOf(threadId);
      const limit = checkPageSize(query.limit);
      const cursor = decodeSeqCursor(query.cursor);
      const filter = query.metadata === undefined ? undefined : checkMetadata(query.metadata, 'metadata filter');
      const all = (messages.get(thread.id) ?? []).filter((message) => metadataMatches(message.metadata, filter));
      const fromLast = (query.from ?? 'last') === 'last';
      const candidates = fromLast
        ? all.filter((message) => cursor === undefined || message.seq < cursor)
        : all.filter((message) => cursor === undefined || message.seq > cursor);
      const items = fromLast ? candidates.slice(-limit) : candidates.slice(0, limit);
      const page: Page<StoredMessage> = { items: copy(items, 'messages') };
      if (candidates.length > limit) {
        const edge = fromLast ? items[0] : items[items.length - 1];
        if (edge !== undefined) page.nextCursor = String(edge.seq);
      }
      return page;
    },

    async getWorkingMemory(scope, options) {
      open(options);
      const record = working.get(scopeKey(scope));
      return record === undefined ? undefined : copy(record, 'working memory');
    },
    async setWorkingMemory(scope, value, options = {}) {
      open(options);
      const key = scopeKey(scope);
      const json = workingMemoryJson(value);
      const current = working.get(key);
      if (options.expectedVersion !== undefined && options.expectedVersion !== (current?.version ?? 0)) {
        throw new AgenticGenError(
          'conflict',
          `[store] working memory was changed by another writer (version ${current?.version ?? 0}, expected ${options.expectedVersion}); read it again and retry`,
          { data: { version: current?.version ?? 0 } },
        );
      }
      const record: WorkingMemoryRecord = {
        value: JSON.parse(json),
        version: (current?.version ?? 0) + 1,
        updatedAt: now(),
      };
      working.set(key, record);
      return copy(record, 'working memory');
    },
    async deleteWorkingMemory(scope, options) {
      open(options);
      working.delete(scopeKey(scope));
    },

    async saveCheckpoint(checkpoint: NewRunCheckpoint, options?: StoreCallOptions) {
      open(options);
      const runId = checkStoreId(checkpoint.runId, 'run id');
      checkStoreId(checkpoint.name, 'run name');
      checkStoreId(checkpoint.kind, 'run kind');
      const current = runs.get(runId);
      if (current !== undefined && checkpoint.step < current.step) {
        throw new AgenticGenError(
          'conflict',
          `[store] run "${runId.slice(0, 100)}" is at step ${current.step}; a checkpoint of step ${checkpoint.step} is stale`,
          { data: { step: current.step } },
        );
      }
      const stateJson = toStoreJson(checkpoint.state ?? null, 'checkpoint state');
      const { runId: _, kind, name, status, step } = checkpoint;
      runs.set(runId, { runId, kind, name, status, step, stateJson, updatedAt: now() });
    },
    async loadCheckpoint(runId, options) {
      open(options);
      const checkpoint = runs.get(checkStoreId(runId, 'run id'));
      return checkpoint === undefined ? undefined : toCheckpoint(checkpoint);
    },
    async listRuns(query: { status: StoredRunStatus; kind?: string; limit?: number }, options?: StoreCallOptions) {
      open(options);
      const limit = checkPageSize(query.limit, 100);
      return [...runs.values()]
        .filter((run) => run.status === query.status && (query.kind === undefined || run.kind === query.kind))
        .sort((a, b) => a.updatedAt - b.updatedAt)
        .slice(0, limit)
        .map(toCheckpoint);
    },
    async deleteRun(runId, options) {
      open(options);
      checkStoreId(runId, 'run id');
      runs.delete(runId);
      nodes.delete(runId);
      suspensions.delete(runId);
      for (const key of ledger.keys()) if (key.startsWith(`${runId}:`)) ledger.delete(key);
    },

    async saveNodeResult(runId, nodeId, result, options) {
      open(options);
      const forRun = nodes.get(checkStoreId(runId, 'run id')) ?? new Map<string, unknown>();
      nodes.set(runId, forRun);
      if (!forRun.has(checkStoreId(nodeId, 'node id'))) forRun.set(nodeId, copy(result, 'node result'));
    },
    async loadNodeResults(runId, options) {
      open(options);
      return copy(Object.fromEntries(nodes.get(checkStoreId(runId, 'run id')) ?? []), 'node results');
    },

    async saveSuspension(input, options) {
      open(options);
      const list = suspensions.get(checkStoreId(input.runId, 'run id')) ?? [];
      suspensions.set(input.runId, list);
      if (list.some((entry) => entry.suspensionId === checkStoreId(input.suspensionId, 'suspension id'))) {
        throw new AgenticGenError(
          'already-exists',
          `[store] suspension "${input.suspensionId.slice(0, 100)}" of run "${input.runId.slice(0, 100)}" already exists`,
        );
      }
      const suspension: RunSuspension = {
        runId: input.runId,
        suspensionId: input.suspensionId,
        reason: storeText(input.reason),
        status: 'pending',
        createdAt: now(),
      };
      if (input.schema !== undefined) suspension.schema = copy(input.schema, 'suspension schema');
      list.push(suspension);
      return copy(suspension, 'suspension');
    },
    async listSuspensions(query, options) {
      open(options);
      const lists =
        query.runId === undefined
          ? [...suspensions.values()]
          : [suspensions.get(checkStoreId(query.runId, 'run id')) ?? []];
      return copy(
        lists
          .flat()
          .filter((entry) => query.status === undefined || entry.status === query.status)
          .sort((a, b) => a.createdAt - b.createdAt),
        'suspensions',
      );
    },
    async resolveSuspension(runId, suspensionId, payload, options) {
      open(options);
      const entry = (suspensions.get(checkStoreId(runId, 'run id')) ?? []).find(
        (candidate) => candidate.suspensionId === suspensionId,
      );
      if (entry === undefined) {
        throw new AgenticGenError(
          'not-found',
          `[store] suspension "${String(suspensionId).slice(0, 100)}" of run "${runId.slice(0, 100)}" does not exist`,
        );
      }
      if (entry.status === 'resolved') return false;
      entry.payload = copy(payload ?? null, 'suspension payload');
      entry.status = 'resolved';
      return true;
    },

    async beginCall(key, toolName, options) {
      open(options);
      const current = ledger.get(checkStoreId(key, 'idempotency key'));
      const before = current === undefined ? undefined : toLedgerEntry(current);
      if (current === undefined) {
        ledger.set(key, { key, toolName, status: 'started', attempts: 1, updatedAt: now() });
      } else if (current.status === 'started') {
        current.attempts++;
        current.updatedAt = now();
      }
      return before;
    },
    async completeCall(key, outcome, options) {
      open(options);
      const current = ledger.get(checkStoreId(key, 'idempotency key'));
      if (current === undefined) {
        throw new AgenticGenError('not-found', `[store] call "${key.slice(0, 100)}" was never started`);
      }
      current.status = 'completed';
      current.outputJson = toStoreJson(outcome.output ?? null, 'tool output');
      current.isError = outcome.isError;
      current.updatedAt = now();
    },
    async getCall(key, options) {
      open(options);
      const entry = ledger.get(checkStoreId(key, 'idempotency key'));
      return entry === undefined ? undefined : toLedgerEntry(entry);
    },
  };
}
