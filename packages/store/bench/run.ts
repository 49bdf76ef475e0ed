/**
 * Benchmarks of @agenticgen/store, one run, side by side: our layer against a plain INSERT/SELECT through the same
 * driver, PGlite (on disk, this process) against PostgreSQL (a private local server, the test helper), and the
 * cost of durable checkpoints on an agent step. Writes bench/results.json.
 * Run with `npm run bench -w packages/store` (`-- --quick` for a short run). Figures are p50 of repeated calls.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AgentStore,
  createAgent,
  createDurableAgent,
  createMemoryStore,
  defineTool,
  Type,
} from '@agenticgen/core';
import { MockChatModel } from '@agenticgen/core/testing';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { postgresServerAvailable, startPostgresServer } from '../../../test-support/postgres-server.ts';
import { createPgliteStore } from '../src/drivers/pglite.ts';
import { createPostgresStore } from '../src/drivers/postgres.ts';

const quick = process.argv.includes('--quick');
const loadAtStart = (loadavg()[0] ?? 0).toFixed(1);
const iterations = quick ? 100 : 400;
const bigThread = quick ? 20_000 : 100_000;

interface Figure {
  name: string;
  unit: 'ms' | 'ratio';
  ours: number;
  peers: Record<string, number>;
}
const figures: Figure[] = [];
const notes: string[] = [];

const p50 = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return Number((sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(4));
};
async function time(count: number, operation: (index: number) => Promise<unknown>): Promise<number> {
  for (let index = 0; index < Math.min(20, count); index++) await operation(-1 - index); // warm-up
  const samples: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    await operation(index);
    samples.push(performance.now() - started);
  }
  return p50(samples);
}

const message = (index: number) => ({ message: { role: 'user' as const, content: `message number ${index}` } });
// The peer's table has the shape of agenticgen_messages (migration v1) without its foreign key, and the peer
// inserts what an append stores: a random id, the message JSON, empty metadata and the time.
const plainTable = `CREATE TABLE IF NOT EXISTS plain_messages (
  thread_id text NOT NULL, seq bigint NOT NULL, id text NOT NULL, message jsonb NOT NULL,
  metadata jsonb NOT NULL DEFAULT '{}', created_at bigint NOT NULL, PRIMARY KEY (thread_id, seq))`;

// ── The agent of the checkpoint figures: one tool step (model call + one tool call), then an answer ─────────────
const tool = defineTool({
  name: 'noop',
  description: 'Does nothing',
  parameters: Type.Object({}),
  execute: () => 'ok',
});
const makeAgent = () =>
  createAgent({
    name: 'bench',
    instructions: 'Bench.',
    tools: [tool],
    model: new MockChatModel({
      repeatLast: true,
      responses: [
        (request) =>
          request.messages.some((entry) => entry.role === 'tool')
            ? { text: 'done', chunkSize: 1000 }
            : { toolCalls: [{ toolName: 'noop', input: {}, toolCallId: 'c1' }], chunkSize: 1000 },
      ],
    }),
  });
/** The state a durable run checkpoints after its tool step: a real 2-step run's messages, steps and usage. */
const checkpointState = await (async () => {
  const result = await makeAgent().run('go');
  return { version: 1, phase: 'step-completed', messages: result.messages, steps: result.steps, usage: result.usage };
})();

/** thread-append, thread-load-last-50 and one checkpoint save for one driver; `plain` runs SQL on the same database. */
async function measureDriver(
  label: string,
  store: AgentStore,
  plain: (text: string, params?: unknown[]) => Promise<unknown>,
) {
  await plain(plainTable);
  const thread = await store.createThread({});
  const append = await time(iterations, (index) => store.appendMessages(thread.id, [message(index)]));
  let seq = 0;
  const insert = await time(iterations, () =>
    plain(
      'INSERT INTO plain_messages (thread_id, seq, id, message, metadata, created_at) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6)',
      [thread.id, ++seq, crypto.randomUUID(), JSON.stringify(message(seq).message), '{}', Date.now()],
    ),
  );
  const big = await store.createThread({});
  for (let start = 0; start < bigThread; start += 1000) {
    await store.appendMessages(
      big.id,
      Array.from({ length: 1000 }, (_, offset) => message(start + offset)),
    );
  }
  const loadLast = await time(iterations, () => store.listMessages(big.id, { limit: 50 }));
  let step = 0;
  const runId = `bench-${label}-${Date.now()}`;
  const checkpoint = await time(iterations, () =>
    store.saveCheckpoint({
      runId,
      kind: 'agent',
      name: 'bench',
      status: 'running',
      step: ++step,
      state: checkpointState,
    }),
  );
  return { label, append, insert, loadLast, checkpoint };
}

const directory = mkdtempSync(join(tmpdir(), 'agenticgen-store-bench-'));
const pglite = await createPgliteStore({ dataDir: join(directory, 'pglite') });
// Awaited: a PGlite still initialising in the background would slow down the figures measured meanwhile.
const pgliteRaw = await PGlite.create(join(directory, 'pglite-plain'));
const pgliteFigures = await measureDriver('pglite', pglite, (text, params) => pgliteRaw.query(text, params));
figures.push({
  name: 'thread-append',
  unit: 'ms',
  ours: pgliteFigures.append,
  peers: { 'plain INSERT (pglite)': pgliteFigures.insert },
});
figures.push({ name: 'thread-load-last-50', unit: 'ms', ours: pgliteFigures.loadLast, peers: {} });
figures.push({ name: 'checkpoint-save-pglite', unit: 'ms', ours: pgliteFigures.checkpoint, peers: {} });
notes.push(
  `thread-load-last-50: last 50 of a ${bigThread}-message thread, PGlite on disk.`,
  "thread-append: one message per append; the peer inserts the same values into a table of the messages table's shape without the foreign key.",
);

let postgresFigures: Awaited<ReturnType<typeof measureDriver>> | undefined;
if (postgresServerAvailable()) {
  const server = await startPostgresServer();
  const postgres = await createPostgresStore({ connectionString: server.url, maxConnections: 2 });
  const raw = new pg.Pool({ connectionString: server.url, max: 1 });
  postgresFigures = await measureDriver('postgres', postgres, (text, params) => raw.query(text, params));
  await postgres.close();
  await raw.end();
  await server.stop();
  figures.push({
    name: 'thread-append-postgres',
    unit: 'ms',
    ours: postgresFigures.append,
    peers: { 'plain INSERT (postgres)': postgresFigures.insert },
  });
  figures.push({
    name: 'pglite-vs-postgres-thread-append',
    unit: 'ms',
    ours: pgliteFigures.append,
    peers: { postgres: postgresFigures.append },
  });
  figures.push({
    name: 'pglite-vs-postgres-thread-load-last-50',
    unit: 'ms',
    ours: pgliteFigures.loadLast,
    peers: { postgres: postgresFigures.loadLast },
  });
  figures.push({
    name: 'pglite-vs-postgres-checkpoint-save',
    unit: 'ms',
    ours: pgliteFigures.checkpoint,
    peers: { postgres: postgresFigures.checkpoint },
  });
}

/** p50 of `ours` and of `peer`, their samples taken alternately so a change of machine load hits both alike. */
async function timePair(count: number, ours: () => Promise<unknown>, peer: () => Promise<unknown>) {
  for (let index = 0; index < Math.min(20, count); index++) {
    await ours();
    await peer();
  }
  const oursSamples: number[] = [];
  const peerSamples: number[] = [];
  for (let index = 0; index < count; index++) {
    for (const [operation, samples] of [
      [ours, oursSamples],
      [peer, peerSamples],
    ] as const) {
      const started = performance.now();
      await operation();
      samples.push(performance.now() - started);
    }
  }
  return { ours: p50(oursSamples), peer: p50(peerSamples) };
}

const plainAgent = makeAgent();
const memoryDurable = createDurableAgent(makeAgent(), { store: createMemoryStore() });
const memoryPair = await timePair(
  iterations,
  () => memoryDurable.run('go'),
  () => plainAgent.run('go'),
);
const memoryRun = memoryPair.ours;
const plainRun = memoryPair.peer;
const pgliteDurable = createDurableAgent(makeAgent(), { store: pglite });
const pgliteRun = await time(iterations, () => pgliteDurable.run('go'));
figures.push({
  name: 'checkpoint-step-overhead',
  unit: 'ratio',
  ours: Number((memoryRun / plainRun).toFixed(3)),
  peers: { 'plain run': 1 },
});
figures.push({
  name: 'checkpoint-step-overhead-pglite',
  unit: 'ms',
  ours: Number((pgliteRun - plainRun).toFixed(3)),
  peers: { 'plain run (ms)': plainRun },
});
notes.push(
  'checkpoint-step-overhead: a 2-step agent run (tool step + answer) with MockChatModel; a durable run makes 6 store calls (start, planned-calls, step and final checkpoints; ledger start and outcome). The memory figure is durable/plain run time, their samples taken alternately; the PGlite figure is the added milliseconds per run.',
  "checkpoint-save-*: one saveCheckpoint of the state a durable run stores after its tool step (the 2-step run's messages, steps and usage).",
);

await pglite.close();
await pgliteRaw.close();
rmSync(directory, { recursive: true, force: true });
const results = {
  node: process.version,
  date: new Date().toISOString(),
  machine: `${cpus().length} cores, load ${loadAtStart} at start`,
  iterations,
  figures,
  notes,
};
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
