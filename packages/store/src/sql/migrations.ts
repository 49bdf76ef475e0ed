/**
 * The schema, versioned: each migration moves the database one version forward, in one transaction, under an
 * advisory lock so two processes opening the same database at once never apply a migration twice.
 * Never edit a released migration; append a new one.
 */
import { storeError } from '../errors.js';
import type { SqlClient } from './sql-client.js';

/** Forward migrations, in order; the index + 1 is the schema version. */
export const migrations: readonly string[] = [
  `
  CREATE TABLE agenticgen_threads (
    id text PRIMARY KEY,
    resource_id text,
    title text,
    metadata jsonb NOT NULL DEFAULT '{}',
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    next_seq bigint NOT NULL DEFAULT 1
  );
  CREATE INDEX agenticgen_threads_recent ON agenticgen_threads (updated_at DESC, id DESC);
  CREATE INDEX agenticgen_threads_resource ON agenticgen_threads (resource_id, updated_at DESC, id DESC);
  CREATE INDEX agenticgen_threads_metadata ON agenticgen_threads USING gin (metadata jsonb_path_ops);
  CREATE TABLE agenticgen_messages (
    thread_id text NOT NULL REFERENCES agenticgen_threads (id) ON DELETE CASCADE,
    seq bigint NOT NULL,
    id text NOT NULL,
    message jsonb NOT NULL,
    metadata jsonb NOT NULL DEFAULT '{}',
    created_at bigint NOT NULL,
    PRIMARY KEY (thread_id, seq)
  );
  CREATE TABLE agenticgen_working_memory (
    scope_kind text NOT NULL,
    scope_id text NOT NULL,
    value jsonb NOT NULL,
    version integer NOT NULL,
    updated_at bigint NOT NULL,
    PRIMARY KEY (scope_kind, scope_id)
  );
  CREATE TABLE agenticgen_runs (
    run_id text PRIMARY KEY,
    kind text NOT NULL,
    name text NOT NULL,
    status text NOT NULL,
    step integer NOT NULL,
    state jsonb NOT NULL,
    updated_at bigint NOT NULL
  );
  CREATE INDEX agenticgen_runs_status ON agenticgen_runs (status, kind, updated_at);
  CREATE TABLE agenticgen_run_nodes (
    run_id text NOT NULL,
    node_id text NOT NULL,
    result jsonb NOT NULL,
    PRIMARY KEY (run_id, node_id)
  );
  CREATE TABLE agenticgen_suspensions (
    run_id text NOT NULL,
    suspension_id text NOT NULL,
    reason text NOT NULL,
    schema jsonb,
    status text NOT NULL,
    payload jsonb,
    created_at bigint NOT NULL,
    seq bigserial,
    PRIMARY KEY (run_id, suspension_id)
  );
  CREATE TABLE agenticgen_ledger (
    key text PRIMARY KEY,
    run_id text NOT NULL,
    tool_name text NOT NULL,
    status text NOT NULL,
    output jsonb,
    is_error boolean,
    attempts integer NOT NULL,
    updated_at bigint NOT NULL
  );
  CREATE INDEX agenticgen_ledger_run ON agenticgen_ledger (run_id);
  `,
  // v2: appending is one call of a PL/pgSQL function. Its statements are planned once per connection and cached,
  // where the same WITH … UPDATE … INSERT sent as a query was parsed and planned on every append (about half
  // of an append's time in PGlite). Returns the first position of the batch, NULL when the thread does not exist.
  `
  CREATE FUNCTION agenticgen_append_messages(
    p_thread text, p_ids text[], p_messages text[], p_metadata text[], p_now bigint
  ) RETURNS bigint LANGUAGE plpgsql AS $$
  DECLARE
    first_seq bigint;
  BEGIN
    -- The row lock of this UPDATE serialises appenders of one thread across connections and processes until
    -- the caller's statement commits: each batch reserves a contiguous range of positions.
    UPDATE agenticgen_threads SET next_seq = next_seq + cardinality(p_ids),
      updated_at = GREATEST(p_now, (SELECT COALESCE(max(recent.updated_at), 0) + 1 FROM agenticgen_threads recent))
    WHERE id = p_thread RETURNING next_seq - cardinality(p_ids) INTO first_seq;
    IF first_seq IS NULL THEN
      RETURN NULL;
    END IF;
    INSERT INTO agenticgen_messages (thread_id, seq, id, message, metadata, created_at)
    SELECT p_thread, first_seq + input.ordinality - 1, input.id, input.message::jsonb, input.metadata::jsonb, p_now
    FROM unnest(p_ids, p_messages, p_metadata) WITH ORDINALITY AS input(id, message, metadata, ordinality);
    RETURN first_seq;
  END $$;
  `,
  // v3: the summary of a thread's older messages (conversation memory), kept with the thread.
  `
  ALTER TABLE agenticgen_threads ADD COLUMN summary text, ADD COLUMN summary_seq bigint,
    ADD COLUMN summary_updated_at bigint;
  `,
  // v4: appending one message (the common case) without arrays: scalar parameters, no unnest, and the thread
  // update and the insert as one statement (one cached plan, one executor run) in the function. Same locking as
  // v2: the UPDATE's row lock orders appenders of a thread until the caller's statement commits. Returns the
  // message's position, NULL when the thread does not exist.
  // The messages' foreign key goes: both append functions insert only after locking the thread row they found,
  // so its check (a second lookup and lock of that row per append) proved nothing. A thread's messages go with
  // it through a trigger instead of ON DELETE CASCADE. Its DELETE is a new command with a new snapshot, so
  // messages an appender committed while the deleting statement waited for the thread row's lock go too; an
  // appender that comes later finds no thread row and inserts nothing.
  `
  ALTER TABLE agenticgen_messages DROP CONSTRAINT IF EXISTS agenticgen_messages_thread_id_fkey;
  CREATE FUNCTION agenticgen_delete_thread_messages() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    DELETE FROM agenticgen_messages WHERE thread_id = OLD.id;
    RETURN NULL;
  END $$;
  CREATE TRIGGER agenticgen_threads_delete_messages AFTER DELETE ON agenticgen_threads
    FOR EACH ROW EXECUTE FUNCTION agenticgen_delete_thread_messages();
  -- The two statements of every durable step (the checkpoint upsert and the ledger's begin) as functions too,
  -- for the same reason as v2: planned once per connection instead of on every call. Same SQL as before.
  -- Returns the step stored, NULL when the run is at a later step (a stale checkpoint).
  CREATE FUNCTION agenticgen_save_checkpoint(
    p_run text, p_kind text, p_name text, p_status text, p_step integer, p_state text, p_now bigint
  ) RETURNS integer LANGUAGE plpgsql AS $$
  DECLARE
    v_step integer;
  BEGIN
    INSERT INTO agenticgen_runs AS current (run_id, kind, name, status, step, state, updated_at)
    VALUES (p_run, p_kind, p_name, p_status, p_step, p_state::jsonb, p_now)
    ON CONFLICT (run_id) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, status = EXCLUDED.status,
      step = EXCLUDED.step, state = EXCLUDED.state, updated_at = EXCLUDED.updated_at
    WHERE current.step <= EXCLUDED.step
    RETURNING current.step INTO v_step;
    RETURN v_step;
  END $$;
  -- The ledger entry as it was before this call (no row: the call is new), and the call started or its attempts
  -- counted; a completed entry is left untouched. The CTE reads the entry from the statement's snapshot.
  CREATE FUNCTION agenticgen_begin_call(p_key text, p_run text, p_tool text, p_now bigint)
  RETURNS SETOF agenticgen_ledger LANGUAGE plpgsql AS $$
  BEGIN
    RETURN QUERY
    WITH before AS (
      SELECT * FROM agenticgen_ledger WHERE agenticgen_ledger.key = p_key
    ), started AS (
      INSERT INTO agenticgen_ledger AS current (key, run_id, tool_name, status, attempts, updated_at)
      VALUES (p_key, p_run, p_tool, 'started', 1, p_now)
      ON CONFLICT (key) DO UPDATE SET attempts = current.attempts + 1, updated_at = EXCLUDED.updated_at
      WHERE current.status = 'started'
      RETURNING 1
    )
    SELECT * FROM before;
  END $$;
  CREATE FUNCTION agenticgen_append_message(
    p_thread text, p_id text, p_message text, p_metadata text, p_now bigint
  ) RETURNS bigint LANGUAGE plpgsql AS $$
  DECLARE
    v_seq bigint;
  BEGIN
    WITH reserved AS (
      UPDATE agenticgen_threads SET next_seq = next_seq + 1,
        updated_at = GREATEST(p_now, (SELECT COALESCE(max(recent.updated_at), 0) + 1 FROM agenticgen_threads recent))
      WHERE id = p_thread RETURNING next_seq - 1 AS reserved_seq
    )
    INSERT INTO agenticgen_messages (thread_id, seq, id, message, metadata, created_at)
    SELECT p_thread, reserved.reserved_seq, p_id, p_message::jsonb, p_metadata::jsonb, p_now FROM reserved
    RETURNING agenticgen_messages.seq INTO v_seq;
    RETURN v_seq;
  END $$;
  `,
];

/** Arbitrary constant naming our advisory lock (the bytes of "agntcgen"). */
const migrationLock = '7018988744339713390';

/** Brings the schema to the latest version; returns the version reached. */
export async function migrate(client: SqlClient, steps: readonly string[] = migrations): Promise<number> {
  return client.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${migrationLock})`);
    await tx.query(
      'CREATE TABLE IF NOT EXISTS agenticgen_schema (version integer PRIMARY KEY, applied_at bigint NOT NULL)',
    );
    const [row] = await tx.query<{ version: unknown }>('SELECT max(version) AS version FROM agenticgen_schema');
    const current = Number(row?.version ?? 0);
    if (current > steps.length) {
      throw storeError(
        'store-schema-newer',
        `the database schema is at version ${current}, this package knows ${steps.length}; upgrade @agenticgen/store`,
      );
    }
    for (let version = current + 1; version <= steps.length; version++) {
      await tx.script(steps[version - 1] as string);
      await tx.query('INSERT INTO agenticgen_schema (version, applied_at) VALUES ($1, $2)', [version, Date.now()]);
    }
    return steps.length;
  });
}
