/**
 * The SSE decoder against the published conformance cases, each decoded under every chunking: the
 * web-platform-tests `eventsource/format-*` streams (their server appends `\n\n\n`, or `\n` with
 * `newline=none`) and the fixture streams of eventsource-parser's own test suite, written here from their
 * inputs and the WHATWG "event stream interpretation". `event: undefined` is the default type (`message`);
 * `id` and `retry` matter only to a reconnecting EventSource and must not disturb the data.
 */
import { createSeededRandom } from '@agenticgen/core/testing';
import { describe, expect, it } from 'vitest';
import { SseDecoder, type SseEvent } from './sse-decoder.js';

const message = (data: string, event?: string): SseEvent => ({ event, data });
const x2048 = 'x'.repeat(2048);
const done = 'event: done\ndata: ✔\n\n';

/** [name, stream body, events the stream must yield]. */
const cases: Array<[string, string, SseEvent[]]> = [
  // web-platform-tests eventsource/format-*
  ['wpt format-bom', '\uFEFFdata:1\n\n\uFEFFdata:2\n\ndata:3\n\n\n', [message('1'), message('3')]],
  ['wpt format-bom-2', '\uFEFF\uFEFFdata:1\n\ndata:2\n\ndata:3\n\n\n', [message('2'), message('3')]],
  [
    'wpt format-comments',
    `data:1\r:\0\n:\r\ndata:2\n:${x2048}\rdata:3\n:data:fail\r:${x2048}\ndata:4\n\n`,
    [message('1\n2\n3\n4')],
  ],
  ['wpt format-data-before-final-empty-line', 'retry:1000\ndata:test1\n\nid:test\ndata:test2\n', [message('test1')]],
  ['wpt format-field-data', 'data:\n\ndata\ndata\n\ndata:test\n\n\n', [message(''), message('\n'), message('test')]],
  ['wpt format-field-event-empty', 'event: \ndata:data\n\n\n', [message('data')]],
  ['wpt format-field-event', 'event:test\ndata:x\n\ndata:x\n\n\n', [message('x', 'test'), message('x')]],
  [
    'wpt format-field-parsing',
    'data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n\n',
    [message('\0\n 2\n1\n3\n\n4')],
  ],
  ['wpt format-leading-space', 'data:\ttest\rdata: \ndata:test\n\n\n', [message('\ttest\n\ntest')]],
  ['wpt format-newlines', 'data:test\r\ndata\ndata:test\r\n\r\n', [message('test\n\ntest')]],
  [
    'wpt format-field-unknown',
    'data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:test\n\n\n',
    [message('test\n\ntest')],
  ],
  ['wpt format-null-character', 'data:\0\n\n\n\n\n', [message('\0')]],
  ['wpt format-utf-8', 'data:ok…\n\n\n', [message('ok…')]],
  ['wpt format-field-retry', 'retry:03000\ndata:x\n\n\n', [message('x')]],
  ['wpt format-field-retry-bogus', 'retry:2000\nretry:1000x\ndata:x\n\n\n', [message('x')]],
  ['wpt format-field-id', 'id: …\ndata: hello\n\nid: …\ndata: …\n\n', [message('hello'), message('…')]],
  ['wpt format-field-id-null', 'id:\0\0\ndata: hello\n\n\n', [message('hello')]],
  // eventsource-parser test/fixtures.ts
  [
    'eventsource-parser basic',
    `data: 0\n\ndata: 1\n\ndata: 2\n\ndata: 3\n\ndata: 4\n\n${done}`,
    [...['0', '1', '2', '3', '4'].map((data) => message(data)), message('✔', 'done')],
  ],
  [
    'eventsource-parser multiline',
    `event: stock\ndata: YHOO\ndata: +2\ndata: 10\n\nevent: stock\ndata: GOOG\ndata: -8\ndata: 1881\n\n${done}`,
    [message('YHOO\n+2\n10', 'stock'), message('GOOG\n-8\n1881', 'stock'), message('✔', 'done')],
  ],
  [
    'eventsource-parser heartbeats',
    `${['A', 'B', 'C'].map((letter) => `: ♥\ndata: ${letter}\n\n`).join('')}${done}`,
    [message('A'), message('B'), message('C'), message('✔', 'done')],
  ],
  [
    'eventsource-parser identified events with retry',
    'retry: 50\nid: 1337\nevent: tick\ndata: 1337\n\nretry: 50\nid: 1338\nevent: tick\ndata: 1338\n\n',
    [message('1337', 'tick'), message('1338', 'tick')],
  ],
  [
    'eventsource-parser multibyte with empty lines',
    `\n\n\n\nid: 1\ndata: 我現在都看實況不玩遊戲\n\n${done}`,
    [message('我現在都看實況不玩遊戲'), message('✔', 'done')],
  ],
  [
    'eventsource-parser invalid BOM',
    `\uFEFFdata: bomful 1\n\n\uFEFFdata: bomful 2\n\ndata: bomless 3\n\n${done}`,
    [message('bomful 1'), message('bomless 3'), message('✔', 'done')],
  ],
  [
    'eventsource-parser carriage returns',
    `data: dog\rdata: bark\r\rdata: cat\rdata: meow\r\r${done}`,
    [message('dog\nbark'), message('cat\nmeow'), message('✔', 'done')],
  ],
  [
    'eventsource-parser line feeds',
    `data: cow\ndata: moo\n\ndata: horse\ndata: neigh\n\n${done}`,
    [message('cow\nmoo'), message('horse\nneigh'), message('✔', 'done')],
  ],
  [
    'eventsource-parser CRLF',
    `data: sheep\r\ndata: bleat\r\n\r\ndata: pig\r\ndata: oink\r\n\r\n${done}`,
    [message('sheep\nbleat'), message('pig\noink'), message('✔', 'done')],
  ],
  [
    'eventsource-parser comments',
    `: Hello\n\n${':'.repeat(300)}\ndata: First\n\n: Первый: 第二\ndata: Second\n\n${': Moop \n'.repeat(10)}: ثالث\ndata: Third\n\n:നാലാമത്തെ\ndata: Fourth\n\n: 😀 🙈 🎉 :\ndata: Fifth\n\n${done}`,
    [...['First', 'Second', 'Third', 'Fourth', 'Fifth'].map((data) => message(data)), message('✔', 'done')],
  ],
  [
    'eventsource-parser mixed comments',
    `data:1\r\r:\0\n:\r\ndata:2\n\n:${x2048}\rdata:3\n\n:data:fail\r:${x2048}\ndata:4\n\ndata:5`,
    [message('1'), message('2'), message('3'), message('4')],
  ],
  [
    'eventsource-parser empty event field',
    `event:\ndata: Hello 1\n\nevent:\n\n${done}`,
    [message('Hello 1'), message('✔', 'done')],
  ],
  [
    'eventsource-parser empty retry field',
    'id: 1\nretry: 500\ndata: 🥌\n\nid:2\nretry:\ndata:🧹\n\nid: 3\ndata: ✅\n\n',
    [message('🥌'), message('🧹'), message('✅')],
  ],
  ['eventsource-parser invalid retry', 'retry:1000\nretry:2000x\ndata:x\n\n', [message('x')]],
  [
    'eventsource-parser unknown fields',
    `data:abc\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:123\n\n${done}`,
    [message('abc\n\n123'), message('✔', 'done')],
  ],
  ['eventsource-parser CR separating reads of one event', 'data: A\r\ndata: B\r\ndata: C\r\n\n', [message('A\nB\nC')]],
  ['eventsource-parser id with NULL', 'id: 123\nid: bad\0id\ndata: hello\n\n', [message('hello')]],
  ['eventsource-parser invalid line without terminator', '{"error":"Internal Server Error"}', []],
];

const encoder = new TextEncoder();

function decode(chunks: readonly Uint8Array[]): SseEvent[] {
  const decoder = new SseDecoder();
  const out: SseEvent[] = [];
  for (const chunk of chunks) decoder.push(chunk, out);
  decoder.end(out);
  return out;
}

/** A deterministic generator, so a failing chunking can be replayed. */
const seeded = createSeededRandom;

/** Reads of 1 to `largest` bytes, drawn from `random`. */
function randomReads(bytes: Uint8Array, largest: number, random: () => number): Uint8Array[] {
  const reads: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const size = 1 + Math.floor(random() * largest);
    reads.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return reads;
}

/**
 * Every chunking that can matter: one read, every cut into two reads, one byte per read, every cut into
 * three reads for short streams, and seeded random reads of up to 3 and up to 64 bytes for long ones.
 */
function* everyChunking(bytes: Uint8Array): Generator<Uint8Array[]> {
  yield [bytes];
  for (let cut = 0; cut <= bytes.length; cut++) yield [bytes.subarray(0, cut), bytes.subarray(cut)];
  yield Array.from(bytes, (byte) => Uint8Array.of(byte));
  if (bytes.length <= 48) {
    for (let first = 1; first < bytes.length; first++) {
      for (let second = first + 1; second < bytes.length; second++) {
        yield [bytes.subarray(0, first), bytes.subarray(first, second), bytes.subarray(second)];
      }
    }
  }
  const random = seeded(bytes.length);
  for (let round = 0; round < 8; round++) yield randomReads(bytes, round % 2 === 0 ? 3 : 64, random);
}

describe('SseDecoder conformance (web-platform-tests format-*, eventsource-parser fixtures)', () => {
  it.each(cases)('%s, under every chunking', (_name, body, expected) => {
    const bytes = encoder.encode(body);
    let chunkings = 0;
    for (const chunks of everyChunking(bytes)) {
      expect(decode(chunks), `reads of ${chunks.map((chunk) => chunk.length).join(',')} bytes`).toEqual(expected);
      chunkings++;
    }
    expect(chunkings).toBeGreaterThan(bytes.length);
  });

  it('decodes a 256 KiB event arriving in reads of 1 to 64 bytes', () => {
    const payload = JSON.stringify({ text: 'é🙂'.repeat(40_000) }).padEnd(256 * 1024, ' ');
    const bytes = encoder.encode(`event: content_block_delta\ndata: ${payload}\n\n`);
    const events = decode(randomReads(bytes, 64, seeded(7)));
    expect(events).toEqual([message(payload, 'content_block_delta')]);
  });
});
