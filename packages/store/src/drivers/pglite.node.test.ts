import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgenticGenError } from '@agenticgen/core';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../sql/migrations.js';
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
});
