/**
 * Adapter overhead against the official SDKs called directly, both talking to the same fake server in the
 * same process and run: time to first token, total stream time, and heap while streaming 100,000 chunks.
 * Run: npm run build -w packages/adapters && npm run bench -w packages/adapters
 */
import { writeFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { createAnthropicModel, createGeminiModel, createOpenAIChatModel } from '../dist/index.js';
import { startFakeServers } from '../src/testing/fake-servers/index.ts';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
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

const pairs: Pair[] = [
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
      oursStream((modelId) => createAnthropicModel({ modelId, client: anthropic }), model, onDelta),
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
    ours: (model, onDelta) => oursStream((modelId) => createGeminiModel({ modelId, client: gemini }), model, onDelta),
    async sdk(model, onDelta) {
      const stream = await gemini.models.generateContentStream({
        model,
        contents: [{ role: 'user', parts: [{ text: 'Say hello.' }] }],
      });
      for await (const chunk of stream) if (chunk.candidates?.[0]?.content?.parts?.[0]?.text) onDelta();
    },
  },
];

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

for (const pair of pairs) {
  // Warm-up: JIT, connection pool, SDK lazy paths.
  for (let index = 0; index < 20; index++) {
    await ttft(pair.ours, pair.model);
    await ttft(pair.sdk, pair.model);
  }
  const oursTtft: number[] = [];
  const sdkTtft: number[] = [];
  // Interleaved so background load on the shared machine hits both sides alike.
  for (let index = 0; index < 150; index++) {
    oursTtft.push(await ttft(pair.ours, pair.model));
    sdkTtft.push(await ttft(pair.sdk, pair.model));
  }
  const oursTotal: number[] = [];
  const sdkTotal: number[] = [];
  for (let index = 0; index < 15; index++) {
    oursTotal.push(await total(pair.ours, pair.model, 5000));
    sdkTotal.push(await total(pair.sdk, pair.model, 5000));
  }
  const oursHeap: number[] = [];
  const sdkHeap: number[] = [];
  for (let index = 0; index < 3; index++) {
    oursHeap.push(await heap(pair.ours, pair.model, 100_000));
    sdkHeap.push(await heap(pair.sdk, pair.model, 100_000));
  }
  const entries = [
    { name: `ttft-overhead${suffix(pair.provider)}`, unit: 'ms', ours: median(oursTtft), sdk: median(sdkTtft) },
    { name: `stream-total${suffix(pair.provider)}`, unit: 'ms', ours: median(oursTotal), sdk: median(sdkTotal) },
    { name: `stream-100k-heap${suffix(pair.provider)}`, unit: 'MB', ours: median(oursHeap), sdk: median(sdkHeap) },
  ];
  for (const entry of entries) {
    figures.push({
      name: entry.name,
      unit: entry.unit,
      ours: round(entry.ours),
      peers: { [pair.peer]: round(entry.sdk) },
    });
    console.log(
      `${entry.name.padEnd(28)} ours ${entry.ours.toFixed(3)} ${entry.unit}  ${pair.peer} ${entry.sdk.toFixed(3)} ${entry.unit}  ratio ${(entry.ours / entry.sdk).toFixed(3)}`,
    );
  }
}

await servers.close();
const results = { node: process.version, date: new Date().toISOString(), figures };
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log('wrote bench/results.json');
