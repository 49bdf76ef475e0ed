/**
 * Benchmarks of the UI message stream (issue 21): per-part cost of our encoder against the `ai` package's
 * `createUIMessageStream` + `JsonToSseTransformStream` writing the same chunks in the same process, and the time
 * to resume a 10,000-part stream from its middle. Merges its figures into bench/results.json (other figures are
 * kept). Run after `npm run build -w packages/core`: `node --expose-gc bench/ui-stream.ts` (`--quick` for short).
 */
import { createUIMessageStream, JsonToSseTransformStream } from 'ai';
import type { ChatStreamPart } from '../dist/index.js';
import { createUIStreamRegistry, toUIMessageSseStream, type UIMessageChunk } from '../dist/ui.js';
import { type Figure, saveFigures } from './results-file.ts';

const quick = process.argv.includes('--quick');
const rounds = quick ? 3 : 9;
const partCount = 100_000;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function drain(stream: ReadableStream<Uint8Array>): Promise<number> {
  let bytes = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return bytes;
    bytes += value.byteLength;
  }
}

const deltas = Array.from({ length: partCount }, (_, index) => `word${index % 1000} `);

/** The source both sides read: a model stream of `partCount` text deltas. */
async function* parts(): AsyncGenerator<ChatStreamPart> {
  yield { type: 'response-start', modelId: 'bench' };
  for (const delta of deltas) yield { type: 'text-delta', delta };
  yield {
    type: 'finish',
    finishReason: 'stop',
    usage: { inputTokens: 1, outputTokens: partCount, totalTokens: partCount + 1 },
  };
}

/** Ours: the model stream translated to chunks and framed as SSE bytes. */
async function ours(): Promise<number> {
  const start = performance.now();
  const bytes = await drain(toUIMessageSseStream(parts(), { messageId: 'm' }));
  const elapsed = performance.now() - start;
  if (bytes === 0) throw new Error('no output');
  return (elapsed * 1e6) / partCount;
}

/**
 * The reference: the same model stream read and written as the same chunks with the ai package's own writer
 * (`createUIMessageStream`) and SSE framing (`JsonToSseTransformStream`), as an ai user would stream a model.
 */
async function reference(): Promise<number> {
  const start = performance.now();
  const stream = createUIMessageStream({
    async execute({ writer }) {
      writer.write({ type: 'start', messageId: 'm' });
      for await (const part of parts()) {
        if (part.type === 'response-start') {
          writer.write({ type: 'message-metadata', messageMetadata: { model: part.modelId } });
          writer.write({ type: 'start-step' });
          writer.write({ type: 'text-start', id: 'text-1' });
        } else if (part.type === 'text-delta') writer.write({ type: 'text-delta', id: 'text-1', delta: part.delta });
        else if (part.type === 'finish') {
          writer.write({ type: 'text-end', id: 'text-1' });
          writer.write({ type: 'finish-step' });
          writer.write({
            type: 'finish',
            finishReason: 'stop',
            messageMetadata: { model: 'bench', usage: part.usage },
          });
        }
      }
    },
  });
  const bytes = await drain(stream.pipeThrough(new JsonToSseTransformStream()).pipeThrough(new TextEncoderStream()));
  const elapsed = performance.now() - start;
  if (bytes === 0) throw new Error('no output');
  return (elapsed * 1e6) / partCount;
}

const figures: Figure[] = [];
{
  await ours();
  await reference();
  const oursRuns: number[] = [];
  const peerRuns: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    // Alternate the order so neither side always runs on a warmer or more fragmented heap.
    gc();
    if (round % 2 === 0) {
      oursRuns.push(await ours());
      gc();
      peerRuns.push(await reference());
    } else {
      peerRuns.push(await reference());
      gc();
      oursRuns.push(await ours());
    }
  }
  figures.push({
    name: 'ui-stream-encode-per-part',
    unit: 'ns/part',
    ours: median(oursRuns),
    peers: { ai: median(peerRuns) },
  });
}

{
  // A finished 10,000-part answer in the in-memory registry; the client has the first half and asks for the rest.
  const registry = createUIStreamRegistry();
  const chunks: UIMessageChunk[] = [
    { type: 'start', messageId: 'm' },
    { type: 'text-start', id: 't' },
    ...Array.from(
      { length: 10_000 },
      (_, index): UIMessageChunk => ({ type: 'text-delta', id: 't', delta: `w${index} ` }),
    ),
    { type: 'text-end', id: 't' },
    { type: 'finish' },
  ];
  const { done } = await registry.start(
    'bench',
    new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        controller.close();
      },
    }),
  );
  await done;
  const runs: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    gc();
    const start = performance.now();
    const stream = await registry.resume('bench', { from: 5_000 });
    if (stream === undefined) throw new Error('nothing to resume');
    await drain(stream);
    runs.push(performance.now() - start);
  }
  figures.push({ name: 'ui-stream-resume-10k-suffix', unit: 'ms', ours: median(runs), peers: {} });
}

saveFigures(figures);
