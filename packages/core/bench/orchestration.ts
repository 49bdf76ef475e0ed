/**
 * Benchmarks of agents and orchestration (issue 4): the scheduler against p-queue in the same process, and the
 * per-step overhead of the agent loop with a mock model. Merges its figures into bench/results.json (other
 * figures of the file are kept). Run after `npm run build -w packages/core`; `--quick` for a short run.
 */
import { Type } from '@sinclair/typebox';
import PQueue from 'p-queue';
import { createAgent, createScheduler, defineTool } from '../dist/index.js';
import { MockChatModel } from '../dist/testing.js';
import { type Figure, saveFigures } from './results-file.ts';

const quick = process.argv.includes('--quick');
const rounds = quick ? 3 : 7;
const taskCount = 100_000;
const concurrency = 64;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const noop = () => undefined;
const asyncNoop = async () => undefined;
const asyncValue = async () => 1;

/** ms for `taskCount` tasks of `run`, waiting for idle (fire and forget) or for every task's own result. */
async function oursTime(run: () => unknown, awaitResults: boolean): Promise<number> {
  const scheduler = createScheduler({ concurrency });
  const started = performance.now();
  if (awaitResults) {
    const results: Promise<unknown>[] = [];
    for (let index = 0; index < taskCount; index++) results.push(scheduler.run({ run }));
    await Promise.all(results);
  } else {
    for (let index = 0; index < taskCount; index++) scheduler.schedule({ run });
    await scheduler.onIdle();
  }
  return performance.now() - started;
}

async function pQueueTime(run: () => unknown, awaitResults: boolean): Promise<number> {
  const queue = new PQueue({ concurrency });
  const started = performance.now();
  if (awaitResults) {
    const results: Promise<unknown>[] = [];
    for (let index = 0; index < taskCount; index++) results.push(queue.add(run));
    await Promise.all(results);
  } else {
    for (let index = 0; index < taskCount; index++) void queue.add(run);
    await queue.onIdle();
  }
  return performance.now() - started;
}

/**
 * Three workloads: a sync no-op (our scheduler settles it without a promise, a fast path p-queue lacks), an
 * async no-op (every task returns a promise, as real work does) and an async task whose result the caller
 * awaits (the `run()` / `add()` promise of every task is consumed).
 */
const schedulerWorkloads = [
  { name: 'scheduler-100k-noop', run: noop, awaitResults: false },
  { name: 'scheduler-100k-async-noop', run: asyncNoop, awaitResults: false },
  { name: 'scheduler-100k-awaited-result', run: asyncValue, awaitResults: true },
];

/** Heap bytes per task held in a paused queue (the task objects, their promises and queue slots). */
async function bytesPerQueued(fill: () => { release: () => Promise<void> }): Promise<number> {
  gc?.();
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const held = fill();
  gc?.();
  gc?.();
  const after = process.memoryUsage().heapUsed;
  await held.release();
  return (after - before) / taskCount;
}

const figures: Figure[] = [];

for (const workload of schedulerWorkloads) {
  const measureOurs = () => oursTime(workload.run, workload.awaitResults);
  const measurePeer = () => pQueueTime(workload.run, workload.awaitResults);
  // Warm up both implementations so JIT tiers are comparable.
  for (let round = 0; round < 2; round++) {
    await measureOurs();
    await measurePeer();
  }
  const ours: number[] = [];
  const peer: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate the order so neither always runs on a warmer heap.
    if (round % 2 === 0) {
      ours.push(await measureOurs());
      peer.push(await measurePeer());
    } else {
      peer.push(await measurePeer());
      ours.push(await measureOurs());
    }
  }
  figures.push({ name: workload.name, unit: 'ms', ours: median(ours), peers: { 'p-queue': median(peer) } });
}

{
  const ours: number[] = [];
  const peer: number[] = [];
  for (let round = 0; round < rounds; round++) {
    ours.push(
      await bytesPerQueued(() => {
        const scheduler = createScheduler({ concurrency, paused: true });
        const handles = [];
        for (let index = 0; index < taskCount; index++) handles.push(scheduler.schedule({ run: noop }));
        return {
          release: async () => {
            scheduler.resume();
            await scheduler.onIdle();
            handles.length = 0;
          },
        };
      }),
    );
    peer.push(
      await bytesPerQueued(() => {
        const queue = new PQueue({ concurrency, autoStart: false });
        const promises = [];
        for (let index = 0; index < taskCount; index++) promises.push(queue.add(noop));
        return {
          release: async () => {
            queue.start();
            await queue.onIdle();
            promises.length = 0;
          },
        };
      }),
    );
  }
  figures.push({
    name: 'scheduler-bytes-per-queued-task',
    unit: 'bytes',
    ours: median(ours),
    peers: { 'p-queue': median(peer) },
  });
}

{
  const steps = 50;
  const tool = defineTool({
    name: 'noop',
    description: 'Does nothing.',
    parameters: Type.Object({}),
    execute: () => 'ok',
  });
  const script = () => [
    ...Array.from({ length: steps - 1 }, (_, index) => ({
      toolCalls: [{ toolName: 'noop', input: {}, toolCallId: `c${index}` }],
      usage: { inputTokens: 10, outputTokens: 2 },
    })),
    { text: 'done', usage: { inputTokens: 10, outputTokens: 1 } },
  ];
  const runAgent = async () => {
    const agent = createAgent({
      name: 'bench',
      instructions: 'x',
      model: new MockChatModel({ responses: script() }),
      tools: [tool],
      maxSteps: steps + 1,
    });
    const started = performance.now();
    await agent.run('go');
    return (performance.now() - started) / steps;
  };
  // The baseline is the same model calls without the agent: what the loop itself adds is the difference.
  const runBare = async () => {
    const model = new MockChatModel({ responses: script() });
    const messages = [{ role: 'user' as const, content: 'go' }];
    const started = performance.now();
    for (let index = 0; index < steps; index++) await model.generate({ messages, tools: [tool.toSpec()] });
    return (performance.now() - started) / steps;
  };
  for (let round = 0; round < 20; round++) {
    await runAgent();
    await runBare();
  }
  const ours: number[] = [];
  const bare: number[] = [];
  for (let round = 0; round < rounds * 4; round++) {
    ours.push(await runAgent());
    bare.push(await runBare());
  }
  // Reported as the whole step (model call included, so an upper bound of the loop's own cost); the bare model
  // call is printed for context, not listed as a peer, since it is not an alternative implementation.
  figures.push({ name: 'agent-step-overhead', unit: 'ms', ours: median(ours), peers: {} });
  console.log(`(a bare MockChatModel call takes ${median(bare).toFixed(4)} ms of each step)`);
}

saveFigures(figures);
