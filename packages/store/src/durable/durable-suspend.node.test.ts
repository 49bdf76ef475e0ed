import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createPgliteStore } from '../drivers/pglite.js';
import { approvalAgent } from '../testing/fixtures/approval-agent.js';

const hooks = fileURLToPath(new URL('../testing/fixtures/source-hooks.mjs', import.meta.url));
const child = fileURLToPath(new URL('../testing/fixtures/suspend-resume-child.ts', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'agenticgen-suspend-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

interface ChildLine {
  result?: { status: string; text?: string };
  error?: string;
  payments: string[];
}

/** Resumes the run in a separate Node process on the same PGlite directory. */
function resumeInChild(dataDir: string, payloads: unknown): Promise<ChildLine> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', hooks, child],
      {
        env: { ...process.env, DATA_DIR: dataDir, RUN_ID: 'run-1', PAYLOADS: JSON.stringify(payloads) },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`child failed: ${stderr.slice(0, 2000)}`));
        else resolve(JSON.parse(stdout.trim()) as ChildLine);
      },
    );
  });
}

describe('a suspended durable run resumes in another process (PGlite on disk)', () => {
  it('the child refuses an invalid payload, then finishes the run with a valid one; the payment happens once', async () => {
    const dataDir = join(directory, 'db');
    const store = await createPgliteStore({ dataDir });
    const payments: string[] = [];
    const first = await approvalAgent(store, { record: async (entry) => void payments.push(entry) }).run('pay', {
      runId: 'run-1',
    });
    expect(first.status).toBe('input-required');
    await store.close();

    expect(await resumeInChild(dataDir, { 'call-1:1': { approved: 'yes', by: 'Grace' } })).toEqual({
      error: 'invalid-argument',
      payments: [],
    });
    const resumed = await resumeInChild(dataDir, { 'call-1:1': { approved: true, by: 'Grace' } });
    expect(resumed).toMatchObject({ result: { status: 'completed' }, payments: ['INV-7:Grace'] });

    const reopened = await createPgliteStore({ dataDir });
    expect(await reopened.loadCheckpoint('run-1')).toMatchObject({ status: 'completed' });
    expect(await reopened.listSuspensions({ runId: 'run-1' })).toMatchObject([
      { suspensionId: 'call-1:1', status: 'resolved', payload: { approved: true, by: 'Grace' } },
    ]);
    await reopened.close();
    // Two child processes each start PGlite (seconds on a loaded machine): a safety limit, not a performance check.
  }, 180_000);
});
