/**
 * Our SSE decoder side by side with eventsource-parser (the parser the Vercel AI SDK and many others use), both
 * fed the same bytes in the same reads: eventsource-parser behind a streaming TextDecoder, as its
 * EventSourceParserStream runs it. Workloads are shaped like model streams. Per issue 18's rule, ours stays only
 * while it is ahead on every workload. Writes `sseDecoder` into bench/results.json (other figures kept).
 * Run: node bench/sse-decoder.ts [label] (needs `npm run build -w packages/core` for @agenticgen/core); the
 * figures go under `sseDecoder.<label>` (default `current`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { SseDecoder, type SseEvent } from '../src/shared/sse-decoder.ts';

const encoder = new TextEncoder();

/** Cuts `bytes` into reads of `sizes()` bytes each. */
function reads(bytes: Uint8Array, size: (index: number) => number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let offset = 0, index = 0; offset < bytes.length; index++) {
    const length = size(index);
    chunks.push(bytes.subarray(offset, offset + length));
    offset += length;
  }
  return chunks;
}

const delta = (index: number) =>
  `event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"token ${index} é"}}\n\n`;
const smallEvents = encoder.encode(Array.from({ length: 20_000 }, (_, index) => delta(index)).join(''));
const largeEvent = (bytes: number) =>
  encoder.encode(`event: content_block_delta\ndata: ${JSON.stringify({ text: 'x'.repeat(bytes) })}\n\n`);
/** The measurement: a 256 KiB event in reads of 1 to 64 bytes (a fixed cycle, the same for both). */
const cycle = (index: number) => 1 + ((index * 37) % 64);

const workloads: Array<{ name: string; chunks: Uint8Array[]; events: number }> = [
  { name: '20k small events, 1400-byte reads', chunks: reads(smallEvents, () => 1400), events: 20_000 },
  { name: '20k small events, 7-byte reads', chunks: reads(smallEvents, () => 7), events: 20_000 },
  { name: '20k small events, one read', chunks: [smallEvents], events: 20_000 },
  { name: '256 KiB event, 1-64-byte reads', chunks: reads(largeEvent(256 * 1024), cycle), events: 1 },
  { name: '4 MiB event, 1024-byte reads', chunks: reads(largeEvent(4 * 1024 * 1024), () => 1024), events: 1 },
];

function ours(chunks: Uint8Array[]): number {
  const decoder = new SseDecoder();
  const out: SseEvent[] = [];
  for (const chunk of chunks) decoder.push(chunk, out);
  decoder.end(out);
  return out.length;
}

/** Keeps every event, as a consumer does (and as ours does), so both pay for the events they produce. */
function peer(chunks: Uint8Array[]): number {
  const out: EventSourceMessage[] = [];
  const utf8 = new TextDecoder();
  const parser = createParser({ onEvent: (message) => out.push(message) });
  for (const chunk of chunks) parser.feed(utf8.decode(chunk, { stream: true }));
  parser.feed(utf8.decode());
  return out.length;
}

/** Median of `runs` timed runs in milliseconds, after warm-up; checks both decoders see every event. */
function time(run: (chunks: Uint8Array[]) => number, chunks: Uint8Array[], events: number, runs: number): number {
  for (let warm = 0; warm < 3; warm++) run(chunks);
  const samples: number[] = [];
  for (let index = 0; index < runs; index++) {
    const started = performance.now();
    const count = run(chunks);
    samples.push(performance.now() - started);
    if (count !== events) throw new Error(`expected ${events} events, got ${count}`);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}

const round = (value: number) => Math.round(value * 1000) / 1000;
const figures = workloads.map(({ name, chunks, events }) => {
  // Alternating rounds, so drift in machine load hits both alike.
  const oursMs: number[] = [];
  const peerMs: number[] = [];
  for (let roundIndex = 0; roundIndex < 5; roundIndex++) {
    oursMs.push(time(ours, chunks, events, 9));
    peerMs.push(time(peer, chunks, events, 9));
  }
  const best = (values: number[]) => Math.min(...values);
  const figure = {
    name,
    unit: 'ms',
    ours: round(best(oursMs)),
    peers: { 'eventsource-parser': round(best(peerMs)) },
    ratio: round(best(peerMs) / best(oursMs)),
  };
  console.log(
    `${name}: ours ${figure.ours} ms, eventsource-parser ${figure.peers['eventsource-parser']} ms (×${figure.ratio})`,
  );
  return figure;
});

const resultsUrl = new URL('./results.json', import.meta.url);
const results = JSON.parse(readFileSync(resultsUrl, 'utf8')) as Record<string, unknown>;
const label = process.argv[2] ?? 'current';
results.sseDecoder = {
  ...(results.sseDecoder as Record<string, unknown> | undefined),
  [label]: {
    node: process.version,
    date: new Date().toISOString(),
    note: 'ratio = eventsource-parser time / our time (above 1: ours is faster); best of 5 medians of 9 runs',
    figures,
  },
};
writeFileSync(resultsUrl, `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote sseDecoder.${label} into bench/results.json`);
