/**
 * Benchmarks of @agenticgen/store, one run, side by side: our layer against a plain INSERT/SELECT through the same
 * driver, PGlite (on disk, this process) against PostgreSQL (a private local server, the test helper), and the
 * cost of durable checkpoints on an agent step. Writes bench/results.json.
 * Run with `npm run bench -w packages/store` (`-- --quick` for a short run). Figures are p50 of repeated calls.
 * PGlite runs in this process, so its figures are this process's CPU time (`process.cpuUsage`), which a loaded
 * machine inflates far less than wall time; PostgreSQL's work happens in the server's processes, so its figures
 * are wall time. Ours and the peer are sampled alternately, so a change of load hits both alike.
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
/** A clock in milliseconds: wall time, or the CPU time (user + system) this process has used. */
type Clock = () => number;
const wallClock: Clock = () => performance.now();
const cpuClock: Clock = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

async function time(
  count: number,
  operation: (index: number) => Promise<unknown>,
  clock: Clock = wallClock,
): Promise<number> {
  for (let index = 0; index < Math.min(20, count); index++) await operation(-1 - index); // warm-up
  const samples: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = clock();
    await operation(index);
    samples.push(clock() - started);
  }
  return p50(samples);
}

/** p50 of `ours` and of `peer`, their samples taken alternately so a change of machine load hits both alike. */
async function timePair(
  count: number,
  ours: (index: number) => Promise<unknown>,
  peer: (index: number) => Promise<unknown>,
  clock: Clock = wallClock,
) {
  for (let index = 0; index < Math.min(20, count); index++) {
    await ours(-1 - index);
    await peer(-1 - index);
  }
  const oursSamples: number[] = [];
  const peerSamples: number[] = [];
  for (let index = 0; index < count; index++) {
    for (const [operation, samples] of [
      [ours, oursSamples],
      [peer, peerSamples],
    ] as const) {
      const started = clock();
      await operation(index);
      samples.push(clock() - started);
    }
  }
  return { ours: p50(oursSamples), peer: p50(peerSamples) };
}

const message = (index: number) => ({ message: { role: 'user' as const, content: `message number ${index}` } });
// The peer's table has the shape of agenticgen_messages (same columns, same primary key, which is its only index;
// since schema v4 neither has a foreign key), and the peer inserts what an append stores: a random id, the
// message JSON, empty metadata and the time, at the next position it counts itself.
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
  clock: Clock,
) {
  await plain(plainTable);
  const thread = await store.createThread({});
  let seq = 0;
  const { ours: append, peer: insert } = await timePair(
    iterations,
    (index) => store.appendMessages(thread.id, [message(index)]),
    () =>
      plain(
        'INSERT INTO plain_messages (thread_id, seq, id, message, metadata, created_at) VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6)',
        [thread.id, ++seq, crypto.randomUUID(), JSON.stringify(message(seq).message), '{}', Date.now()],
      ),
    clock,
  );
  const big = await store.createThread({});
  for (let start = 0; start < bigThread; start += 1000) {
    await store.appendMessages(
      big.id,
      Array.from({ length: 1000 }, (_, offset) => message(start + offset)),
    );
  }
  const loadLast = await time(iterations, () => store.listMessages(big.id, { limit: 50 }), clock);
  let step = 0;
  const runId = `bench-${label}-${Date.now()}`;
  const checkpoint = await time(
    iterations,
    () =>
      store.saveCheckpoint({
        runId,
        kind: 'agent',
        name: 'bench',
        status: 'running',
        step: ++step,
        state: checkpointState,
      }),
    clock,
  );
  return { label, append, insert, loadLast, checkpoint };
}

const directory = mkdtempSync(join(tmpdir(), 'agenticgen-store-bench-'));
const pglite = await createPgliteStore({ dataDir: join(directory, 'pglite') });
// Awaited: a PGlite still initialising in the background would slow down the figures measured meanwhile.
const pgliteRaw = await PGlite.create(join(directory, 'pglite-plain'));
const pgliteFigures = await measureDriver('pglite', pglite, (text, params) => pgliteRaw.query(text, params), cpuClock);
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
  'thread-append: one message per append, ours and the peer sampled alternately (PGlite: CPU time of this process, PostgreSQL: wall time). Ours: appendMessages, which checks the input, JSON-encodes the message and sends one statement, `SELECT agenticgen_append_message(...)` (schema v4: a PL/pgSQL function whose one statement updates the thread row, taking its row lock, the next position and updated_at, and inserts the message), then returns the stored message. The peer: one `INSERT ... VALUES` of the same values (random id, message JSON, empty metadata, time, a position it counts itself) into a table of the same columns and primary key (the only index of either table; neither has a foreign key since schema v4), through the same driver (a second PGlite database in this process; a second pool of the same server).',
);

let postgresFigures: Awaited<ReturnType<typeof measureDriver>> | undefined;
if (postgresServerAvailable()) {
  const server = await startPostgresServer();
  const postgres = await createPostgresStore({ connectionString: server.url, maxConnections: 2 });
  const raw = new pg.Pool({ connectionString: server.url, max: 1 });
  postgresFigures = await measureDriver('postgres', postgres, (text, params) => raw.query(text, params), wallClock);
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

const plainAgent = makeAgent();
const memoryDurable = createDurableAgent(makeAgent(), { store: createMemoryStore() });
// A run with the memory store is about 0.05 ms: each CPU-time sample is a batch of runs, so the clock's
// granularity and the cost of reading it stay far below the difference measured.
const batch = 20;
const runs = (agent: { run(input: string): Promise<unknown> }) => async () => {
  for (let index = 0; index < batch; index++) await agent.run('go');
};
const memoryPair = await timePair(iterations, runs(memoryDurable), runs(plainAgent), cpuClock);
const memoryRun = memoryPair.ours / batch;
const plainRun = memoryPair.peer / batch;
const memoryWallPair = await timePair(
  iterations,
  () => memoryDurable.run('go'),
  () => plainAgent.run('go'),
);
const pgliteDurable = createDurableAgent(makeAgent(), { store: pglite });
const pglitePair = await timePair(
  iterations,
  () => pgliteDurable.run('go'),
  () => plainAgent.run('go'),
  cpuClock,
);
const pgliteWallPair = await timePair(
  iterations,
  () => pgliteDurable.run('go'),
  () => plainAgent.run('go'),
);
const steps = 2;
const round = (value: number) => Number(value.toFixed(1));
figures.push({
  name: 'checkpoint-step-overhead',
  unit: 'ratio',
  ours: Number((memoryRun / plainRun).toFixed(3)),
  peers: {
    'plain run': 1,
    'plain run (µs CPU)': round(plainRun * 1000),
    'durable run (µs CPU)': round(memoryRun * 1000),
  },
});
figures.push({
  name: 'checkpoint-step-overhead-wall',
  unit: 'ratio',
  ours: Number((memoryWallPair.ours / memoryWallPair.peer).toFixed(3)),
  peers: { 'plain run': 1 },
});
figures.push({
  name: 'checkpoint-step-overhead-pglite',
  unit: 'ms',
  ours: Number(((pglitePair.ours - pglitePair.peer) / steps).toFixed(3)),
  peers: { 'plain run (ms)': pglitePair.peer, 'durable run (ms)': pglitePair.ours },
});
figures.push({
  name: 'checkpoint-step-overhead-pglite-wall',
  unit: 'ms',
  ours: Number(((pgliteWallPair.ours - pgliteWallPair.peer) / steps).toFixed(3)),
  peers: { 'plain run (ms)': pgliteWallPair.peer, 'durable run (ms)': pgliteWallPair.ours },
});
notes.push(
  `checkpoint-step-overhead: a 2-step agent run (tool step + answer) with MockChatModel; a durable run makes 5 store calls (start, planned-calls and final checkpoints; ledger start and outcome: a tool step whose calls all have their outcome in the ledger adds no checkpoint of its own). The memory figure is durable/plain p50 of the CPU time of batches of ${batch} runs, durable and plain batches sampled alternately; -wall is the p50 ratio of single runs in wall time, sampled alternately. checkpoint-step-overhead-pglite is the added milliseconds per step: (durable p50 - plain p50) / 2 of alternate samples in CPU time of this process (PGlite runs in it); -pglite-wall is the same in wall time, which a loaded machine inflates (a 3 ms run is far more often preempted than a 0.2 ms one).`,
  "checkpoint-save-*: one saveCheckpoint of the state a durable run stores after its tool step (the 2-step run's messages, steps and usage).",
);

await pglite.close();
await pgliteRaw.close();
rmSync(directory, { recursive: true, force: true });
const results = {
  node: process.version,
  date: new Date().toISOString(),
  machine: `${cpus().length} cores, load average ${loadAtStart} at start, ${(loadavg()[0] ?? 0).toFixed(1)} at end`,
  iterations,
  figures,
  notes,
};
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log(JSON.stringify(results, null, 2));
