import { describe, expect, it } from 'vitest';
import { SseDecoder, type SseEvent } from './sse-decoder.js';

const bytes = (text: string) => new TextEncoder().encode(text);

/** Decodes `chunks` in order, as separate network reads. */
function decode(chunks: Uint8Array[]): SseEvent[] {
  const decoder = new SseDecoder();
  const out: SseEvent[] = [];
  for (const chunk of chunks) decoder.push(chunk, out);
  decoder.end(out);
  return out;
}

/** Every way of cutting `body` into two reads, plus one byte per read. */
function everySplit(body: string): Uint8Array[][] {
  const all = bytes(body);
  const splits: Uint8Array[][] = [];
  for (let cut = 0; cut <= all.length; cut++) splits.push([all.slice(0, cut), all.slice(cut)]);
  splits.push(Array.from(all, (byte) => Uint8Array.of(byte)));
  return splits;
}

describe('SseDecoder', () => {
  it('reads named and unnamed events with LF, CRLF and CR line endings', () => {
    const expected = [
      { event: 'message_start', data: '{"a":1}' },
      { event: undefined, data: '{"b":2}' },
    ];
    for (const newline of ['\n', '\r\n', '\r']) {
      const body = `event: message_start${newline}data: {"a":1}${newline}${newline}data: {"b":2}${newline}${newline}`;
      for (const chunks of everySplit(body)) expect(decode(chunks)).toEqual(expected);
    }
  });

  it('keeps a UTF-8 character whole when a read ends inside it', () => {
    const body = 'data: {"text":"€ 👋 ü"}\n\n';
    for (const chunks of everySplit(body))
      expect(decode(chunks)).toEqual([{ event: undefined, data: '{"text":"€ 👋 ü"}' }]);
  });

  it('joins data lines with LF, ignores comments and unknown fields, and removes one space after the colon', () => {
    const body = ': keep-alive\nid: 7\nretry: 10\nfoo: bar\ndata:first\ndata:  second\ndata\n\n';
    expect(decode([bytes(body)])).toEqual([{ event: undefined, data: 'first\n second\n' }]);
  });

  it('dispatches nothing for an event without data and drops an event the stream never closed', () => {
    expect(decode([bytes('event: ping\n\ndata: complete\n\nevent: x\ndata: unterminated\n')])).toEqual([
      { event: undefined, data: 'complete' },
    ]);
  });

  it('does not carry an event name over to the next event', () => {
    expect(decode([bytes('event: error\ndata: 1\n\ndata: 2\n\n')])).toEqual([
      { event: 'error', data: '1' },
      { event: undefined, data: '2' },
    ]);
  });

  it('drops a byte order mark at the start and treats a CR at the end of a read as a line end', () => {
    const decoder = new SseDecoder();
    const out: SseEvent[] = [];
    decoder.push(Uint8Array.of(0xef, 0xbb, 0xbf, ...bytes('data: a\r')), out);
    decoder.push(bytes('\r'), out);
    expect(out).toEqual([{ event: undefined, data: 'a' }]);
    decoder.push(bytes('\ndata: b\n\n'), out);
    expect(out).toEqual([
      { event: undefined, data: 'a' },
      { event: undefined, data: 'b' },
    ]);
  });

  it('fails an event longer than its bound with invalid-response, also while its line is unfinished', () => {
    const decoder = new SseDecoder(64);
    const out: SseEvent[] = [];
    decoder.push(bytes(`data: ${'a'.repeat(40)}\n`), out);
    expect(() => decoder.push(bytes(`data: ${'b'.repeat(40)}\n`), out)).toThrowError(
      expect.objectContaining({ code: 'invalid-response', message: expect.stringContaining('64 characters') }),
    );
    const endless = new SseDecoder(64);
    endless.push(bytes(`data: ${'c'.repeat(50)}`), out);
    expect(() => endless.push(bytes('0123456789'), out)).toThrowError(
      expect.objectContaining({ code: 'invalid-response' }),
    );
    expect(out).toEqual([]);
  });

  it('decodes 20,000 events in one read in order', () => {
    const body = Array.from({ length: 20_000 }, (_, index) => `data: ${index}\n\n`).join('');
    const events = decode([bytes(body)]);
    expect(events).toHaveLength(20_000);
    expect(events[19_999]).toEqual({ event: undefined, data: '19999' });
  });
});
