/**
 * Adapter overhead against the official SDKs called directly, both talking to the same fake server in the
 * same process and run: time to first token, total stream time, and heap while streaming 100,000 chunks.
 * Run: npm run build -w packages/adapters && npm run bench -w packages/adapters
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { createAnthropicChatModel } from '../dist/anthropic.js';
import { createGeminiChatModel } from '../dist/gemini.js';
import { createOpenAIChatModel } from '../dist/openai.js';
import { startFakeServers } from '../src/testing/fake-servers/index.ts';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/**
 * Each provider is measured in its own Node process. In one shared process the adapters' common stream code
 * sees three SDKs' event shapes and its call sites turn polymorphic, a cost the per-provider SDK loops below
 * never pay; an application normally talks to one provider per hot path, so one process per provider
 * compares like with like. (All three in one process: see docs/adapters.md.)
 */
if (process.env.BENCH_ONLY === undefined) {
  const figures: unknown[] = [];
  for (const provider of ['openai', 'anthropic', 'gemini']) {
    const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)], {
      env: { ...process.env, BENCH_ONLY: provider },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = child.stdout.split('\n');
    for (const line of lines) if (!line.startsWith('FIGURES ')) console.log(line);
    const payload = lines.find((line) => line.startsWith('FIGURES '));
    if (child.status !== 0 || payload === undefined)
      throw new Error(`bench for ${provider} failed (exit ${child.status})`);
    figures.push(...(JSON.parse(payload.slice('FIGURES '.length)) as unknown[]));
  }
  const resultsUrl = new URL('./results.json', import.meta.url);
  // Other benches (bench/sse-decoder.ts) keep their own keys in the same file.
  const previous = JSON.parse(readFileSync(resultsUrl, 'utf8')) as Record<string, unknown>;
  const results = { ...previous, node: process.version, date: new Date().toISOString(), figures };
  writeFileSync(resultsUrl, `${JSON.stringify(results, null, 2)}\n`);
  console.log('wrote bench/results.json');
  process.exit(0);
}

const servers = await startFakeServers();
const { urls } = servers;
const ask = [{ role: 'user' as const, content: 'Say hello.' }];

interface Pair {
  provider: string;
  peer: string;
  /** Streams with our adapter; calls `onDelta` per text delta. */
  ours(model: string, onDelta: () => void): Promise<void>;
  /** Streams with the SDK directly. */
  sdk(model: string, onDelta: () => void): Promise<void>;
  model: string;
}

const openai = new OpenAI({ apiKey: 'k', baseURL: `${urls.openai}/v1`, maxRetries: 0 });
const anthropic = new Anthropic({ apiKey: 'k', baseURL: urls.anthropic, maxRetries: 0 });
const gemini = new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: urls.gemini } });

const oursStream = async (
  create: (modelId: string) => ReturnType<typeof createOpenAIChatModel>,
  model: string,
  onDelta: () => void,
) => {
  for await (const part of create(model).stream({ messages: ask })) if (part.type === 'text-delta') onDelta();
};

const allPairs: Pair[] = [
  {
    provider: 'openai',
    peer: 'openai',
    model: 'gpt-4.1-mini',
    ours: (model, onDelta) =>
      oursStream((modelId) => createOpenAIChatModel({ modelId, client: openai }), model, onDelta),
    async sdk(model, onDelta) {
      const stream = await openai.chat.completions.create({
        model,
        messages: ask,
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const chunk of stream) if (chunk.choices[0]?.delta?.content) onDelta();
    },
  },
  {
    provider: 'anthropic',
    peer: '@anthropic-ai/sdk',
    model: 'claude-sonnet-4-0',
    ours: (model, onDelta) =>
      oursStream((modelId) => createAnthropicChatModel({ modelId, client: anthropic }), model, onDelta),
    async sdk(model, onDelta) {
      const stream = await anthropic.messages.create({ model, max_tokens: 4096, messages: ask, stream: true });
      for await (const event of stream) {
        if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') onDelta();
      }
    },
  },
  {
    provider: 'gemini',
    peer: '@google/genai',
    model: 'gemini-2.5-flash',
    ours: (model, onDelta) =>
      oursStream((modelId) => createGeminiChatModel({ modelId, client: gemini }), model, onDelta),
    async sdk(model, onDelta) {
      const stream = await gemini.models.generateContentStream({
        model,
        contents: [{ role: 'user', parts: [{ text: 'Say hello.' }] }],
      });
      for await (const chunk of stream) if (chunk.candidates?.[0]?.content?.parts?.[0]?.text) onDelta();
    },
  },
];

// BENCH_ONLY=anthropic or BENCH_ONLY=openai,anthropic,gemini (all in one process) prints the figures only.
const only = process.env.BENCH_ONLY.split(',');
const pairs = allPairs.filter((pair) => only.includes(pair.provider));

const median = (values: number[]) => {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/** Time to the first text delta, in ms; the stream is then drained so connections are reused fairly. */
async function ttft(run: (model: string, onDelta: () => void) => Promise<void>, model: string): Promise<number> {
  const start = performance.now();
  let first = -1;
  await run(`${model}~text`, () => {
    if (first < 0) first = performance.now() - start;
  });
  return first;
}

async function total(
  run: (model: string, onDelta: () => void) => Promise<void>,
  model: string,
  chunks: number,
): Promise<number> {
  const start = performance.now();
  let deltas = 0;
  await run(`${model}~many-${chunks}`, () => {
    deltas++;
  });
  if (deltas !== chunks) throw new Error(`expected ${chunks} deltas, got ${deltas}`);
  return performance.now() - start;
}

/** Peak heap above the post-GC baseline while streaming `chunks` deltas, in MB (sampled every 1,000). */
async function heap(
  run: (model: string, onDelta: () => void) => Promise<void>,
  model: string,
  chunks: number,
): Promise<number> {
  gc();
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  let deltas = 0;
  await run(`${model}~many-${chunks}`, () => {
    deltas++;
    if (deltas % 1000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  });
  return (peak - baseline) / 1024 / 1024;
}

const figures: Array<{ name: string; unit: string; ours: number; peers: Record<string, number> }> = [];
const round = (value: number, digits = 3) => Number(value.toFixed(digits));
const suffix = (provider: string) => (provider === 'openai' ? '' : `-${provider}`);

const record = (name: string, unit: string, peer: string, ours: number, sdk: number) => {
  figures.push({ name, unit, ours: round(ours), peers: { [peer]: round(sdk) } });
  console.log(
    `${name.padEnd(28)} ours ${ours.toFixed(3)} ${unit}  ${peer} ${sdk.toFixed(3)} ${unit}  ratio ${(ours / sdk).toFixed(3)}`,
  );
};

/** Runs `measure` for ours and the SDK alternately, flipping who goes first each round. */
async function sideBySide(
  pair: Pair,
  rounds: number,
  measure: (run: Pair['ours'], model: string) => Promise<number>,
): Promise<{ ours: number[]; sdk: number[] }> {
  const ours: number[] = [];
  const sdk: number[] = [];
  for (let index = 0; index < rounds; index++) {
    if (index % 2 === 0) {
      ours.push(await measure(pair.ours, pair.model));
      sdk.push(await measure(pair.sdk, pair.model));
    } else {
      sdk.push(await measure(pair.sdk, pair.model));
      ours.push(await measure(pair.ours, pair.model));
    }
  }
  return { ours, sdk };
}

// Phases run apart (time to first token, then totals, then heap) so the garbage of the 100k-chunk streams
// does not land in the latency figures; the garbage collector runs before each.
for (const pair of pairs) {
  await sideBySide(pair, 100, ttft); // warm-up: JIT, connection pool, SDK lazy paths
  gc();
  const { ours, sdk } = await sideBySide(pair, 200, ttft);
  record(`ttft-overhead${suffix(pair.provider)}`, 'ms', pair.peer, median(ours), median(sdk));
}
for (const pair of pairs) {
  await sideBySide(pair, 4, (run, model) => total(run, model, 5000));
  gc();
  const { ours, sdk } = await sideBySide(pair, 20, (run, model) => total(run, model, 5000));
  record(`stream-total${suffix(pair.provider)}`, 'ms', pair.peer, median(ours), median(sdk));
}
for (const pair of pairs) {
  const { ours, sdk } = await sideBySide(pair, 4, (run, model) => heap(run, model, 100_000));
  record(`stream-100k-heap${suffix(pair.provider)}`, 'MB', pair.peer, median(ours), median(sdk));
}

await servers.close();
console.log(`FIGURES ${JSON.stringify(figures)}`);
