/**
 * Structured output benchmark (issue 19): a 100 KB object streamed in 20-byte chunks, parsed into partial
 * objects after every chunk. Side by side in this process:
 * - ours: `PartialJsonParser` (each character read once; a snapshot copies only the open containers);
 * - `partial-json`: `parse()` of the whole growing buffer on every chunk (what naive implementations do);
 * - `ai`: the AI SDK's `parsePartialJson` on the growing buffer (what its `streamObject` runs per chunk);
 * - and the whole pipeline: our `streamObject` over `MockChatModel` vs the AI SDK's `streamObject` over its
 *   `MockLanguageModelV4`, both streaming the same deltas and consuming every partial object.
 * The object is built from real text: the Markdown READMEs of installed packages (paragraphs and headings).
 * Merges its figures into bench/results.json. Run after `npm run build -w packages/core`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { streamObject as aiStreamObject, jsonSchema, parsePartialJson } from 'ai';
import { MockLanguageModelV4, simulateReadableStream } from 'ai/test';
import { parse as partialJsonParse } from 'partial-json';
import { PartialJsonParser, streamObject, Type } from '../dist/index.js';
import { MockChatModel } from '../dist/testing.js';
import { type Figure, saveFigures } from './results-file.ts';

const quick = process.argv.includes('--quick');
const rounds = quick ? 3 : 7;
const chunkSize = 20;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

/** Sections of real documentation text until the JSON reaches `bytes`. */
function realTextObject(bytes: number) {
  const root = new URL('../../../node_modules/', import.meta.url).pathname;
  const sections: Array<{ heading: string; paragraphs: string[]; words: number; tags: string[] }> = [];
  let size = 0;
  for (const name of readdirSync(root).sort()) {
    let text: string;
    try {
      text = readFileSync(join(root, name, 'README.md'), 'utf8');
    } catch {
      continue;
    }
    const blocks = text
      .split(/\n\s*\n/)
      .map((block) => block.trim())
      .filter((block) => block.length > 40 && !block.startsWith('```'));
    if (blocks.length < 3) continue;
    const paragraphs = blocks.slice(1, 6);
    const section = {
      heading: blocks[0]?.replace(/^#+\s*/, '').slice(0, 80) ?? name,
      paragraphs,
      words: paragraphs.join(' ').split(/\s+/).length,
      tags: [name, 'readme'],
    };
    sections.push(section);
    size += JSON.stringify(section).length;
    if (size >= bytes) break;
  }
  return { title: 'Package documentation digest', sections };
}

const Section = Type.Object({
  heading: Type.String(),
  paragraphs: Type.Array(Type.String()),
  words: Type.Number(),
  tags: Type.Array(Type.String()),
});
const Digest = Type.Object({ title: Type.String(), sections: Type.Array(Section) });

const object = realTextObject(100_000);
const text = JSON.stringify(object);
const chunks: string[] = [];
for (let offset = 0; offset < text.length; offset += chunkSize) chunks.push(text.slice(offset, offset + chunkSize));
console.log(
  `object: ${text.length} bytes of JSON from ${object.sections.length} README sections, ${chunks.length} chunks`,
);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function time(fn: () => unknown | Promise<unknown>): Promise<number> {
  gc?.();
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

let sink: unknown;
const candidates: Record<string, () => unknown | Promise<unknown>> = {
  ours() {
    const parser = new PartialJsonParser();
    for (const chunk of chunks) {
      parser.push(chunk);
      sink = parser.snapshot();
    }
  },
  'partial-json'() {
    let buffer = '';
    for (const chunk of chunks) {
      buffer += chunk;
      sink = partialJsonParse(buffer);
    }
  },
  async ai() {
    let buffer = '';
    for (const chunk of chunks) {
      buffer += chunk;
      sink = await parsePartialJson(buffer);
    }
  },
};

const pipelines: Record<string, () => Promise<unknown>> = {
  async ours() {
    const model = new MockChatModel({ responses: [{ text, chunkSize }] });
    const result = streamObject({ model, schema: Digest, prompt: 'Digest the docs' });
    for await (const partial of result.partialObjectStream) sink = partial;
    sink = await result.object;
  },
  async ai() {
    const model = new MockLanguageModelV4({
      doStream: async () => ({
        stream: simulateReadableStream({
          chunks: [
            { type: 'stream-start', warnings: [] },
            { type: 'text-start', id: 't' },
            ...chunks.map((delta) => ({ type: 'text-delta' as const, id: 't', delta })),
            { type: 'text-end', id: 't' },
            {
              type: 'finish',
              finishReason: { unified: 'stop', raw: 'stop' },
              usage: {
                inputTokens: { total: 10, noCache: 10, cacheRead: 0, cacheWrite: 0 },
                outputTokens: { total: 100, text: 100, reasoning: 0 },
              },
            },
          ],
          initialDelayInMs: null,
          chunkDelayInMs: null,
        }),
      }),
    } as ConstructorParameters<typeof MockLanguageModelV4>[0]);
    const result = aiStreamObject({
      model,
      schema: jsonSchema(JSON.parse(JSON.stringify(Digest))),
      prompt: 'Digest the docs',
    });
    for await (const partial of result.partialObjectStream) sink = partial;
    sink = await result.object;
  },
};

async function compare(set: Record<string, () => unknown | Promise<unknown>>) {
  const samples: Record<string, number[]> = {};
  for (const fn of Object.values(set)) await fn(); // warm-up
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of Object.entries(set)) {
      samples[name] ??= [];
      samples[name].push(await time(fn));
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

/**
 * Peak heap growth while parsing an input of `bytes` (sampled every 50 chunks, garbage included): linear in
 * the input when no snapshot or re-parse keeps quadratic copies alive.
 */
function peakHeapGrowth(bytes: number): number {
  const input = JSON.stringify(realTextObject(bytes));
  sink = undefined;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const parser = new PartialJsonParser();
  for (let offset = 0, index = 0; offset < input.length; offset += chunkSize, index++) {
    parser.push(input.slice(offset, offset + chunkSize));
    sink = parser.snapshot();
    if (index % 50 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  return (Math.max(peak, process.memoryUsage().heapUsed) - before) / 1e6;
}

const data = `a ${(text.length / 1000).toFixed(0)} KB object of real README text (node_modules/*/README.md), ${chunkSize}-byte chunks`;
peakHeapGrowth(25_000);
const heap = [25_000, 50_000, 100_000, 200_000].map(
  (bytes) => [bytes, median([peakHeapGrowth(bytes), peakHeapGrowth(bytes), peakHeapGrowth(bytes)])] as const,
);
const parsers = await compare(candidates);
const whole = await compare(pipelines);
const figures: Figure[] = [
  {
    name: 'partial-object-100k',
    unit: 'ms',
    ours: parsers.ours as number,
    peers: { 'partial-json': parsers['partial-json'] as number, ai: parsers.ai as number },
    data,
    details: { peakHeapGrowthMbByInputBytes: Object.fromEntries(heap) },
  },
  { name: 'stream-object-100k', unit: 'ms', ours: whole.ours as number, peers: { ai: whole.ai as number }, data },
];
console.log(
  `peak heap growth while parsing (MB, garbage included): ${heap.map(([bytes, mb]) => `${bytes / 1000} KB → ${mb.toFixed(2)}`).join(', ')}`,
);
void sink;

saveFigures(figures);
