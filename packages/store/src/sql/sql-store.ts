/**
 * The store on Postgres SQL: one implementation for PGlite and PostgreSQL (see sql-client.ts). Input checks and
 * limits come from core, so every driver refuses the same input the same way.
 */
import type {
  AgentStore,
  LedgerEntry,
  Page,
  RunCheckpoint,
  RunSuspension,
  StoredMessage,
  StoredThread,
  WorkingMemoryRecord,
  WorkingMemoryScope,
} from '@agenticgen/core';
import { disposeOnce, type StoreCallOptions, storeLimits, throwIfAborted } from '@agenticgen/core';
import {
  checkMetadata,
  checkPageSize,
  checkScope,
  checkStoreId,
  checkThreadSummary,
  decodeSeqCursor,
  decodeThreadCursor,
  encodeThreadCursor,
  newStoreId,
  prepareMessages,
  storeText,
  toStoreJson,
  workingMemoryJson,
} from '@agenticgen/core/internal';
import { storeError, toStoreError } from '../errors.js';
import type { SqlClient } from './sql-client.js';

type Row = Record<string, unknown>;

const threadColumns =
  'id, resource_id, title, metadata, created_at, updated_at, summary, summary_seq, summary_updated_at';
// Timestamps of threads only move forward, even within one millisecond, so "most recently updated" is an order.
const nextThreadTime = 'GREATEST($now, (SELECT COALESCE(max(updated_at), 0) + 1 FROM agenticgen_threads))';

function toThread(row: Row): StoredThread {
  const thread: StoredThread = {
    id: row.id as string,
    metadata: row.metadata as StoredThread['metadata'],
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
  if (row.resource_id !== null) thread.resourceId = row.resource_id as string;
  if (row.title !== null) thread.title = row.title as string;
  if (row.summary !== null) {
    thread.summary = {
      text: row.summary as string,
      throughSeq: Number(row.summary_seq),
      updatedAt: Number(row.summary_updated_at),
    };
  }
  return thread;
}

function toMessage(row: Row): StoredMessage {
  return {
    id: row.id as string,
    threadId: row.thread_id as string,
    seq: Number(row.seq),
    message: row.message as StoredMessage['message'],
    metadata: row.metadata as StoredMessage['metadata'],
    createdAt: Number(row.created_at),
  };
}

function toSuspension(row: Row): RunSuspension {
  const suspension: RunSuspension = {
    runId: row.run_id as string,
    suspensionId: row.suspension_id as string,
    reason: row.reason as string,
    status: row.status as RunSuspension['status'],
    createdAt: Number(row.created_at),
  };
  if (row.schema !== null) suspension.schema = row.schema;
  if (row.payload !== null) suspension.payload = row.payload;
  return suspension;
}

function toLedgerEntry(row: Row): LedgerEntry {
  const entry: LedgerEntry = {
    key: row.key as string,
    toolName: row.tool_name as string,
    status: row.status as LedgerEntry['status'],
    attempts: Number(row.attempts),
    updatedAt: Number(row.updated_at),
  };
  if (row.status === 'completed') {
    entry.output = row.output;
    entry.isError = row.is_error as boolean;
  }
  return entry;
}

/** Replaces the named `$now` placeholder by a positional one (it is always the last parameter). */
const withNow = (text: string, position: number) => text.replaceAll('$now', `$${position}`);

function scopeOf(scope: WorkingMemoryScope): [string, string] {
  const { kind, id } = checkScope(scope);
  return [kind, id];
}

/**
 * The client one operation uses: its first statement (or transaction) carries the caller's signal, so an abort
 * cancels the operation while it waits to start; the statements after it run to the end, so a write is never
 * reported as aborted yet applied.
 */
function clientFor(client: SqlClient, signal: AbortSignal | undefined): SqlClient {
  if (signal === undefined) return client;
  let pending: AbortSignal | undefined = signal;
  const take = () => {
    const taken = pending;
    pending = undefined;
    return { signal: taken };
  };
  return {
    query: (text, params) => client.query(text, params, take()),
    script: (text) => client.script(text),
    transaction: (work) => client.transaction(work, take()),
    close: () => client.close(),
  };
}

/** An `AgentStore` on a migrated Postgres database reached through `client`. */
export function createSqlStore(name: string, client: SqlClient): AgentStore {
  let closed = false;
  // Every call goes through here: closed and abort checks, and database errors wrapped with the operation's name.
  const run = async <T>(
    what: string,
    options: StoreCallOptions | undefined,
    work: (client: SqlClient) => Promise<T>,
  ): Promise<T> => {
    if (closed) throw storeError('disposed', `the ${name} store is closed`);
    throwIfAborted(options?.signal, 'store');
    try {
      return await work(clientFor(client, options?.signal));
    } catch (error) {
      throw toStoreError(error, what);
    }
  };
  const threadMissing = (threadId: string) =>
    storeError('not-found', `thread "${threadId.slice(0, 100)}" does not exist`);

  /** Closes the client once for every `close()` / `dispose()` / `await using`; later calls wait for it. */
  const release = disposeOnce(async () => {
    closed = true;
    await client.close();
  });

  return {
    name,
    close: release,
    dispose: release,
    [Symbol.asyncDispose]: release,

    createThread: (input, options) =>
      run('create thread', options, async (client) => {
        const id = input.id === undefined ? newStoreId() : checkStoreId(input.id, 'thread id');
        const resourceId = input.resourceId === undefined ? null : checkStoreId(input.resourceId, 'resource id');
        const title = input.title === undefined ? null : storeText(input.title);
        const metadata = toStoreJson(checkMetadata(input.metadata, 'thread metadata'), 'thread metadata');
        const rows = await client.query(
          withNow(
            `INSERT INTO agenticgen_threads (id, resource_id, title, metadata, created_at, updated_at)
             VALUES ($1, $2, $3, $4::jsonb, $now, ${nextThreadTime})
             ON CONFLICT (id) DO NOTHING RETURNING ${threadColumns}`,
            5,
          ),
          [id, resourceId, title, metadata, Date.now()],
        );
        if (rows[0] === undefined) throw storeError('already-exists', `thread "${id.slice(0, 100)}" already exists`);
        return toThread(rows[0]);
      }),
    getThread: (threadId, options) =>
      run('get thread', options, async (client) => {
        const rows = await client.query(`SELECT ${threadColumns} FROM agenticgen_threads WHERE id = $1`, [
          checkStoreId(threadId, 'thread id'),
        ]);
        return rows[0] === undefined ? undefined : toThread(rows[0]);
      }),
    updateThread: (threadId, patch, options) =>
      run('update thread', options, async (client) => {
        checkStoreId(threadId, 'thread id');
        const metadata =
          patch.metadata === undefined
            ? null
            : toStoreJson(checkMetadata(patch.metadata, 'thread metadata'), 'thread metadata');
        const title = patch.title === undefined ? null : storeText(patch.title);
        const rows = await client.query(
          withNow(
            `UPDATE agenticgen_threads SET title = COALESCE($2, title), metadata = COALESCE($3::jsonb, metadata),
               updated_at = ${nextThreadTime} WHERE id = $1 RETURNING ${threadColumns}`,
            4,
          ),
          [threadId, title, metadata, Date.now()],
        );
        if (rows[0] === undefined) throw threadMissing(threadId);
        return toThread(rows[0]);
      }),
    deleteThread: (threadId, options) =>
      run('delete thread', options, async (client) => {
        await client.query('DELETE FROM agenticgen_threads WHERE id = $1', [checkStoreId(threadId, 'thread id')]);
      }),
    listThreads: (query = {}, options) =>
      run('list threads', options, async (client) => {
        const limit = checkPageSize(query.limit);
        const after = decodeThreadCursor(query.cursor);
        const metadata =
          query.metadata === undefined
            ? null
            : toStoreJson(checkMetadata(query.metadata, 'metadata filter'), 'metadata filter');
        const resourceId = query.resourceId === undefined ? null : checkStoreId(query.resourceId, 'resource id');
        const rows = await client.query(
          `SELECT ${threadColumns} FROM agenticgen_threads
           WHERE ($1::text IS NULL OR resource_id = $1) AND ($2::jsonb IS NULL OR metadata @> $2::jsonb)
             AND ($3::bigint IS NULL OR (updated_at, id) < ($3::bigint, $4::text))
           ORDER BY updated_at DESC, id DESC LIMIT $5`,
          [resourceId, metadata, after?.updatedAt ?? null, after?.id ?? null, limit + 1],
        );
        const items = rows.slice(0, limit).map(toThread);
        const page: Page<StoredThread> = { items };
        const last = items[items.length - 1];
        if (rows.length > limit && last !== undefined) page.nextCursor = encodeThreadCursor(last.updatedAt, last.id);
        return page;
      }),
    appendMessages: (threadId, batch, options) =>
      run('append messages', options, async (client) => {
        checkStoreId(threadId, 'thread id');
        const prepared = prepareMessages(batch).map((entry) => ({
          id: entry.id,
          message: entry.messageJson,
          metadata: JSON.stringify(entry.metadata),
        }));
        if (prepared.length === 0) {
          const [exists] = await client.query('SELECT 1 FROM agenticgen_threads WHERE id = $1', [threadId]);
          if (exists === undefined) throw threadMissing(threadId);
          return [];
        }
        // One statement, so one implicit transaction and one round trip; the function locks the thread row,
        // reserves the batch's positions and inserts it (one message: migration v4, scalar parameters; a batch:
        // migration v2, arrays).
        const now = Date.now();
        const single = prepared.length === 1 ? prepared[0] : undefined;
        const [row] = await client.query<{ first: unknown }>(
          single !== undefined
            ? 'SELECT agenticgen_append_message($1, $2, $3, $4, $5) AS first'
            : 'SELECT agenticgen_append_messages($1, $2::text[], $3::text[], $4::text[], $5) AS first',
          single !== undefined
            ? [threadId, single.id, single.message, single.metadata, now]
            : [
                threadId,
                prepared.map((entry) => entry.id),
                prepared.map((entry) => entry.message),
                prepared.map((entry) => entry.metadata),
                now,
              ],
        );
        if (row?.first === null || row?.first === undefined) throw threadMissing(threadId);
        const first = Number(row.first);
        // What the database stored is the JSON of each message: return that, not the caller's objects.
        return prepared.map((entry, index) => ({
          id: entry.id,
          threadId,
          seq: first + index,
          message: JSON.parse(entry.message) as StoredMessage['message'],
          metadata: JSON.parse(entry.metadata) as StoredMessage['metadata'],
          createdAt: now,
        }));
      }),
    saveThreadSummary: (threadId, summary, options) =>
      run('save thread summary', options, async (client) => {
        checkStoreId(threadId, 'thread id');
        const { text, throughSeq } = checkThreadSummary(summary);
        // The guard in the UPDATE arbitrates between racing summarisers: only a summary further along is written.
        const rows = await client.query(
          `UPDATE agenticgen_threads SET summary = $2, summary_seq = $3, summary_updated_at = $4
           WHERE id = $1 AND (summary_seq IS NULL OR summary_seq < $3) RETURNING 1`,
          [threadId, text, throughSeq, Date.now()],
        );
        if (rows[0] !== undefined) return true;
        const [exists] = await client.query('SELECT 1 FROM agenticgen_threads WHERE id = $1', [threadId]);
        if (exists === undefined) throw threadMissing(threadId);
        return false;
      }),
    listMessages: (threadId, query = {}, options) =>
      run('list messages', options, async (client) => {
        checkStoreId(threadId, 'thread id');
        const limit = checkPageSize(query.limit);
        const cursor = decodeSeqCursor(query.cursor) ?? null;
        const metadata =
          query.metadata === undefined
            ? null
            : toStoreJson(checkMetadata(query.metadata, 'metadata filter'), 'metadata filter');
        const fromLast = (query.from ?? 'last') === 'last';
        const [exists] = await client.query('SELECT 1 FROM agenticgen_threads WHERE id = $1', [threadId]);
        if (exists === undefined) throw threadMissing(threadId);
        const rows = await client.query(
          `SELECT thread_id, seq, id, message, metadata, created_at FROM agenticgen_messages
           WHERE thread_id = $1 AND ($2::bigint IS NULL OR seq ${fromLast ? '<' : '>'} $2::bigint)
             AND ($3::jsonb IS NULL OR metadata @> $3::jsonb)
           ORDER BY seq ${fromLast ? 'DESC' : 'ASC'} LIMIT $4`,
          [threadId, cursor, metadata, limit + 1],
        );
        const items = rows.slice(0, limit).map(toMessage);
        if (fromLast) items.reverse();
        const page: Page<StoredMessage> = { items };
        if (rows.length > limit) {
          const edge = fromLast ? items[0] : items[items.length - 1];
          if (edge !== undefined) page.nextCursor = String(edge.seq);
        }
        return page;
      }),

    getWorkingMemory: (scope, options) =>
      run('get working memory', options, async (client) => {
        const rows = await client.query(
          'SELECT value, version, updated_at FROM agenticgen_working_memory WHERE scope_kind = $1 AND scope_id = $2',
          scopeOf(scope),
        );
        const row = rows[0];
        return row === undefined
          ? undefined
          : {
              value: row.value as Record<string, unknown>,
              version: Number(row.version),
              updatedAt: Number(row.updated_at),
            };
      }),
    setWorkingMemory: (scope, value, options = {}) =>
      run('set working memory', options, async (client) => {
        const [kind, id] = scopeOf(scope);
        const json = workingMemoryJson(value);
        const expected = options.expectedVersion ?? null;
        // One statement: insert when absent, update when the version matches (or no version was asked for).
        const rows = await client.query(
          `INSERT INTO agenticgen_working_memory AS current (scope_kind, scope_id, value, version, updated_at)
           SELECT $1, $2, $3::jsonb, 1, $5 WHERE $4::integer IS NULL OR $4::integer = 0
           ON CONFLICT (scope_kind, scope_id) DO UPDATE SET value = EXCLUDED.value,
             version = current.version + 1, updated_at = EXCLUDED.updated_at
           WHERE $4::integer IS NULL OR current.version = $4::integer
           RETURNING value, version, updated_at`,
          [kind, id, json, expected, Date.now()],
        );
        let row = rows[0];
        if (row === undefined && expected !== null && expected !== 0) {
          // Expected version > 0 and the INSERT branch was skipped: try the guarded UPDATE directly.
          const updated = await client.query(
            `UPDATE agenticgen_working_memory SET value = $3::jsonb, version = version + 1, updated_at = $5
             WHERE scope_kind = $1 AND scope_id = $2 AND version = $4 RETURNING value, version, updated_at`,
            [kind, id, json, expected, Date.now()],
          );
          row = updated[0];
        }
        if (row === undefined) {
          const current = await client.query(
            'SELECT version FROM agenticgen_working_memory WHERE scope_kind = $1 AND scope_id = $2',
            [kind, id],
          );
          const version = Number(current[0]?.version ?? 0);
          throw storeError(
            'conflict',
            `working memory was changed by another writer (version ${version}, expected ${expected}); read it again and retry`,
            { data: { version } },
          );
        }
        const record: WorkingMemoryRecord = {
          value: row.value as Record<string, unknown>,
          version: Number(row.version),
          updatedAt: Number(row.updated_at),
        };
        return record;
      }),
    deleteWorkingMemory: (scope, options) =>
      run('delete working memory', options, async (client) => {
        await client.query(
          'DELETE FROM agenticgen_working_memory WHERE scope_kind = $1 AND scope_id = $2',
          scopeOf(scope),
        );
      }),

    saveCheckpoint: (checkpoint, options) =>
      run('save checkpoint', options, async (client) => {
        const runId = checkStoreId(checkpoint.runId, 'run id');
        const state = toStoreJson(checkpoint.state ?? null, 'checkpoint state');
        // The upsert (migration v4's function) writes only when the stored step is not later than this one.
        const rows = await client.query<{ step: unknown }>(
          'SELECT agenticgen_save_checkpoint($1, $2, $3, $4, $5, $6, $7) AS step',
          [
            runId,
            checkStoreId(checkpoint.kind, 'run kind'),
            checkStoreId(checkpoint.name, 'run name'),
            checkpoint.status,
            checkpoint.step,
            state,
            Date.now(),
          ],
        );
        if (rows[0]?.step === null || rows[0]?.step === undefined) {
          const current = await client.query('SELECT step FROM agenticgen_runs WHERE run_id = $1', [runId]);
          const step = Number(current[0]?.step);
          throw storeError(
            'conflict',
            `run "${runId.slice(0, 100)}" is at step ${step}; a checkpoint of step ${checkpoint.step} is stale`,
            { data: { step } },
          );
        }
      }),
    loadCheckpoint: (runId, options) =>
      run('load checkpoint', options, async (client) => {
        const rows = await client.query(
          'SELECT run_id, kind, name, status, step, state, updated_at FROM agenticgen_runs WHERE run_id = $1',
          [checkStoreId(runId, 'run id')],
        );
        return rows[0] === undefined ? undefined : toCheckpoint(rows[0]);
      }),
    listRuns: (query, options) =>
      run('list runs', options, async (client) => {
        const rows = await client.query(
          `SELECT run_id, kind, name, status, step, state, updated_at FROM agenticgen_runs
           WHERE status = $1 AND ($2::text IS NULL OR kind = $2) ORDER BY updated_at, run_id LIMIT $3`,
          [query.status, query.kind ?? null, checkPageSize(query.limit, 100)],
        );
        return rows.map(toCheckpoint);
      }),
    deleteRun: (runId, options) =>
      run('delete run', options, async (client) => {
        checkStoreId(runId, 'run id');
        await client.transaction(async (tx) => {
          for (const table of [
            'agenticgen_runs',
            'agenticgen_run_nodes',
            'agenticgen_suspensions',
            'agenticgen_ledger',
          ]) {
            await tx.query(`DELETE FROM ${table} WHERE run_id = $1`, [runId]);
          }
        });
      }),

    saveNodeResult: (runId, nodeId, result, options) =>
      run('save node result', options, async (client) => {
        await client.query(
          `INSERT INTO agenticgen_run_nodes (run_id, node_id, result) VALUES ($1, $2, $3::jsonb)
           ON CONFLICT (run_id, node_id) DO NOTHING`,
          [checkStoreId(runId, 'run id'), checkStoreId(nodeId, 'node id'), toStoreJson(result ?? null, 'node result')],
        );
      }),
    loadNodeResults: (runId, options) =>
      run('load node results', options, async (client) => {
        const rows = await client.query('SELECT node_id, result FROM agenticgen_run_nodes WHERE run_id = $1', [
          checkStoreId(runId, 'run id'),
        ]);
        return Object.fromEntries(rows.map((row) => [row.node_id as string, row.result]));
      }),

    saveSuspension: (input, options) =>
      run('save suspension', options, async (client) => {
        const runId = checkStoreId(input.runId, 'run id');
        const suspensionId = checkStoreId(input.suspensionId, 'suspension id');
        const rows = await client.query(
          `INSERT INTO agenticgen_suspensions (run_id, suspension_id, reason, schema, status, created_at)
           VALUES ($1, $2, $3, $4::jsonb, 'pending', $5) ON CONFLICT (run_id, suspension_id) DO NOTHING
           RETURNING run_id, suspension_id, reason, schema, status, payload, created_at`,
          [
            runId,
            suspensionId,
            storeText(input.reason),
            input.schema === undefined ? null : toStoreJson(input.schema, 'suspension schema'),
            Date.now(),
          ],
        );
        if (rows[0] === undefined) {
          throw storeError(
            'already-exists',
            `suspension "${suspensionId.slice(0, 100)}" of run "${runId.slice(0, 100)}" already exists`,
          );
        }
        return toSuspension(rows[0]);
      }),
    listSuspensions: (query, options) =>
      run('list suspensions', options, async (client) => {
        const runId = query.runId === undefined ? null : checkStoreId(query.runId, 'run id');
        const rows = await client.query(
          `SELECT run_id, suspension_id, reason, schema, status, payload, created_at FROM agenticgen_suspensions
           WHERE ($1::text IS NULL OR run_id = $1) AND ($2::text IS NULL OR status = $2) ORDER BY seq LIMIT $3`,
          [runId, query.status ?? null, storeLimits.maxPageSize],
        );
        return rows.map(toSuspension);
      }),
    resolveSuspension: (runId, suspensionId, payload, options) =>
      run('resolve suspension', options, async (client) => {
        checkStoreId(runId, 'run id');
        checkStoreId(suspensionId, 'suspension id');
        // The status guard makes the update itself the arbiter: of two concurrent resolvers one updates a row.
        const rows = await client.query(
          `UPDATE agenticgen_suspensions SET status = 'resolved', payload = $3::jsonb
           WHERE run_id = $1 AND suspension_id = $2 AND status = 'pending' RETURNING 1`,
          [runId, suspensionId, toStoreJson(payload ?? null, 'suspension payload')],
        );
        if (rows[0] !== undefined) return true;
        const existing = await client.query(
          'SELECT 1 FROM agenticgen_suspensions WHERE run_id = $1 AND suspension_id = $2',
          [runId, suspensionId],
        );
        if (existing[0] === undefined) {
          throw storeError(
            'not-found',
            `suspension "${suspensionId.slice(0, 100)}" of run "${runId.slice(0, 100)}" does not exist`,
          );
        }
        return false;
      }),

    beginCall: (key, toolName, options) =>
      run('begin call', options, async (client) => {
        checkStoreId(key, 'idempotency key');
        // One statement (migration v4's function): the entry as it was before this call, and the call started
        // or another attempt counted; a completed entry is left untouched.
        const rows = await client.query(
          'SELECT key, tool_name, status, output, is_error, attempts, updated_at FROM agenticgen_begin_call($1, $2, $3, $4)',
          [key, key.slice(0, Math.max(0, key.lastIndexOf(':'))), checkStoreId(toolName, 'tool name'), Date.now()],
        );
        return rows[0] === undefined ? undefined : toLedgerEntry(rows[0]);
      }),
    completeCall: (key, outcome, options) =>
      run('complete call', options, async (client) => {
        const rows = await client.query(
          `UPDATE agenticgen_ledger SET status = 'completed', output = $2::jsonb, is_error = $3, updated_at = $4
           WHERE key = $1 RETURNING 1`,
          [
            checkStoreId(key, 'idempotency key'),
            toStoreJson(outcome.output ?? null, 'tool output'),
            outcome.isError,
            Date.now(),
          ],
        );
        if (rows[0] === undefined) throw storeError('not-found', `call "${key.slice(0, 100)}" was never started`);
      }),
    getCall: (key, options) =>
      run('get call', options, async (client) => {
        const rows = await client.query(
          'SELECT key, tool_name, status, output, is_error, attempts, updated_at FROM agenticgen_ledger WHERE key = $1',
          [checkStoreId(key, 'idempotency key')],
        );
        return rows[0] === undefined ? undefined : toLedgerEntry(rows[0]);
      }),
  };
}

function toCheckpoint(row: Row): RunCheckpoint {
  return {
    runId: row.run_id as string,
    kind: row.kind as string,
    name: row.name as string,
    status: row.status as RunCheckpoint['status'],
    step: Number(row.step),
    state: row.state,
    updatedAt: Number(row.updated_at),
  };
}
