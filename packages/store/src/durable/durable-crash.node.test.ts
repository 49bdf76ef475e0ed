import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PostgresTestServer,
  postgresServerAvailable,
  startPostgresServer,
} from '../../../../test-support/postgres-server.js';

const hooks = fileURLToPath(new URL('../testing/fixtures/source-hooks.mjs', import.meta.url));
const agentChild = fileURLToPath(new URL('../testing/fixtures/durable-agent-child.ts', import.meta.url));
const workflowChild = fileURLToPath(new URL('../testing/fixtures/durable-workflow-child.ts', import.meta.url));
const available = postgresServerAvailable();
let server: PostgresTestServer | undefined;
let effects: pg.Pool | undefined;

interface ChildOutcome {
  killed: boolean;
  output?: {
    status: string;
    text?: string;
    output?: number;
    points: number;
    calls?: { toolCallId: string; idempotencyKey: string }[];
  };
}

/** Runs the child; resolves with its JSON line, or `killed` when it died by its own SIGKILL. */
function runChild(environment: Record<string, string>, script = agentChild): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', hooks, script],
      { env: { ...process.env, DATABASE_URL: server?.url as string, ...environment }, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error && (error as { signal?: string }).signal === 'SIGKILL') resolve({ killed: true });
        else if (error) reject(new Error(`child failed: ${stderr.slice(0, 2000)}`));
        else resolve({ killed: false, output: JSON.parse(stdout.trim()) });
      },
    );
  });
}

const keysOf = async (table: string, runId: string) =>
  (
    await effects?.query<{ key: string }>(`SELECT key FROM ${table} WHERE key LIKE $1 ORDER BY key`, [`${runId}:%`])
  )?.rows.map((row) => row.key) ?? [];

describe.runIf(available)('durable runs across kill -9', () => {
  beforeAll(async () => {
    server = await startPostgresServer();
    effects = new pg.Pool({ connectionString: server.url, max: 2 });
    await effects.query(`
      CREATE TABLE charges (key text PRIMARY KEY, amount int);
      CREATE TABLE charge_attempts (key text);
      CREATE TABLE emails (key text, recipient text);
      CREATE TABLE node_effects (key text PRIMARY KEY);
      CREATE TABLE node_attempts (key text);`);
  });
  afterAll(async () => {
    await effects?.end();
    await server?.stop();
  });

  it('20 runs killed at random points all finish on resume, each side effect exactly once', async () => {
    // A clean run tells how many crash points a whole run has.
    const clean = await runChild({ MODE: 'start', RUN_ID: 'clean', CRASH_AT: '0' });
    expect(clean.output).toMatchObject({ status: 'completed', text: 'all done' });
    const totalPoints = clean.output?.points as number;
    expect(totalPoints).toBeGreaterThan(10);

    let killed = 0;
    let decisions = 0;
    for (let trial = 0; trial < 20; trial++) {
      const runId = `trial-${trial}`;
      const crashAt = 1 + Math.floor(Math.random() * totalPoints);
      const first = await runChild({ MODE: 'start', RUN_ID: runId, CRASH_AT: String(crashAt) });
      if (first.killed) killed++;
      let outcome = first;
      let pendingDecisions: Record<string, unknown> = {};
      for (let attempt = 0; outcome.killed || outcome.output?.status !== 'completed'; attempt++) {
        expect(attempt, `run ${runId} crashed at point ${crashAt} did not finish`).toBeLessThan(3);
        if (outcome.output?.status === 'decision-required') {
          decisions++;
          // Decide as an operator would: look the key up in the external system.
          const sent = await keysOf('emails', runId);
          pendingDecisions = Object.fromEntries(
            (outcome.output.calls ?? []).map((call) => [
              call.toolCallId,
              sent.includes(call.idempotencyKey)
                ? { action: 'assume-done', output: { sent: 'recorded by operator' } }
                : { action: 'retry' },
            ]),
          );
        }
        outcome = await runChild({
          MODE: 'resume',
          RUN_ID: runId,
          CRASH_AT: '0',
          DECISIONS: JSON.stringify(pendingDecisions),
        });
      }
      expect(outcome.output?.text).toBe('all done');
      expect(await keysOf('charges', runId)).toEqual([`${runId}:charge-1`, `${runId}:charge-2`]);
      expect(await keysOf('emails', runId), `run ${runId} crashed at point ${crashAt}`).toEqual([
        `${runId}:email-1`,
        `${runId}:email-2`,
      ]);
    }
    // Most random points fall inside the run, so most trials really crashed.
    expect(killed).toBeGreaterThan(10);
    console.log(`[durable crash test] ${killed}/20 runs killed; ${decisions} decision(s) on unknown outcomes`);
  }, 600_000);

  it('20 workflows killed at random points all finish on restart, skipping completed nodes, each effect once', async () => {
    const clean = await runChild({ RUN_ID: 'workflow-clean', CRASH_AT: '0' }, workflowChild);
    // d = 4 + b + c = 4 + (2 + 1) + (3 + 1)
    expect(clean.output).toMatchObject({ status: 'completed', output: 11 });
    const totalPoints = clean.output?.points as number;
    let killed = 0;
    for (let trial = 0; trial < 20; trial++) {
      const runId = `workflow-${trial}`;
      const crashAt = 1 + Math.floor(Math.random() * totalPoints);
      let outcome = await runChild({ RUN_ID: runId, CRASH_AT: String(crashAt) }, workflowChild);
      if (outcome.killed) killed++;
      for (let attempt = 0; outcome.killed || outcome.output?.status !== 'completed'; attempt++) {
        expect(attempt, `workflow ${runId} crashed at point ${crashAt} did not finish`).toBeLessThan(3);
        outcome = await runChild({ RUN_ID: runId, CRASH_AT: '0' }, workflowChild);
      }
      expect(outcome.output?.output).toBe(11);
      expect(await keysOf('node_effects', runId)).toEqual(['a', 'b', 'c', 'd'].map((node) => `${runId}:${node}`));
      // Completed nodes are skipped on restart: only the nodes in flight at the crash (at most 2 at once) run again.
      const attempts = await keysOf('node_attempts', runId);
      expect(attempts.length, `workflow ${runId} crashed at point ${crashAt}`).toBeLessThanOrEqual(4 + 2);
    }
    expect(killed).toBeGreaterThan(10);
  }, 600_000);
});
