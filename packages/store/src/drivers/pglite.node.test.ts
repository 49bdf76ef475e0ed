import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgenticGenError } from '@agenticgen/core';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, migrations } from '../sql/migrations.js';
import { createSqlStore } from '../sql/sql-store.js';
import { runStoreContractSuite } from '../testing/store-suite.js';
import { createPgliteStore, pgliteClient } from './pglite.js';

const directory = mkdtempSync(join(tmpdir(), 'agenticgen-pglite-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

// One data directory for the whole suite: each case reopens it, as a restarted process would.
runStoreContractSuite('pglite (directory)', () => createPgliteStore({ dataDir: join(directory, 'suite') }));

describe('pglite store on disk', () => {
  it('keeps threads, messages and checkpoints across a close and reopen', async () => {
    const dataDir = join(directory, 'reopen');
    const first = await createPgliteStore({ dataDir });
    const thread = await first.createThread({ title: 'kept' });
    await first.appendMessages(thread.id, [{ message: { role: 'user', content: 'remember me' } }]);
    await first.saveCheckpoint({ runId: 'r1', kind: 'agent', name: 'a', status: 'running', step: 3, state: { x: 1 } });
    await first.close();
    const second = await createPgliteStore({ dataDir });
    expect((await second.listMessages(thread.id)).items.map((message) => message.message.content)).toEqual([
      'remember me',
    ]);
    expect((await second.loadCheckpoint('r1'))?.step).toBe(3);
    await second.close();
  });

  it('applies only the missing forward migrations and refuses a schema newer than it knows', async () => {
    const database = new PGlite();
    const client = pgliteClient(database);
    expect(await migrate(client, ['CREATE TABLE one (a int)'])).toBe(1);
    expect(await migrate(client, ['CREATE TABLE one (a int)', 'ALTER TABLE one ADD COLUMN b int'])).toBe(2);
    const columns = await database.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'one'");
    expect(columns.rows).toHaveLength(2);
    await expect(migrate(client, ['CREATE TABLE one (a int)'])).rejects.toSatisfy((error) =>
      AgenticGenError.hasCode(error, 'store-schema-newer'),
    );
    await database.close();
  });

  it('upgrades a version-1 database in place: appends go on from the stored positions', async () => {
    const database = new PGlite();
    const client = pgliteClient(database);
    expect(await migrate(client, migrations.slice(0, 1))).toBe(1);
    await database.query(
      `INSERT INTO agenticgen_threads (id, metadata, created_at, updated_at, next_seq) VALUES ('old', '{}', 1, 1, 3)`,
    );
    await database.query(`INSERT INTO agenticgen_messages (thread_id, seq, id, message, created_at)
      VALUES ('old', 1, 'm1', '{"role":"user","content":"one"}', 1), ('old', 2, 'm2', '{"role":"user","content":"two"}', 1)`);
    expect(await migrate(client)).toBe(migrations.length);
    const store = createSqlStore('pglite', client);
    const [appended] = await store.appendMessages('old', [{ message: { role: 'user', content: 'three' } }]);
    expect(appended).toMatchObject({ seq: 3, threadId: 'old', message: { role: 'user', content: 'three' } });
    expect((await store.listMessages('old')).items.map((message) => message.message.content)).toEqual([
      'one',
      'two',
      'three',
    ]);
    const batch = await store.appendMessages('old', [
      { message: { role: 'user', content: 'four' } },
      { message: { role: 'user', content: 'five' } },
    ]);
    expect(batch.map((message) => message.seq)).toEqual([4, 5]);
    // Since v4 a trigger, not the foreign key, removes a deleted thread's messages, those of v1 included.
    await store.deleteThread('old');
    const left = await database.query<{ count: number }>(
      "SELECT count(*)::int AS count FROM agenticgen_messages WHERE thread_id = 'old'",
    );
    expect(left.rows[0]?.count).toBe(0);
    await store.close();
  });
});
