import { AgenticGenError } from '@agenticgen/core';
import { createParser, type EventSourceParser } from 'eventsource-parser';

/** One server-sent event: its `event:` name (undefined for the default type) and its joined `data:` lines. */
export interface SseEvent {
  event: string | undefined;
  data: string;
}

/** Default bound of one event (its data plus the line being read), in UTF-16 code units. */
export const defaultMaxEventLength = 64 * 1024 * 1024;

/**
 * Server-sent events as the WHATWG HTML standard's "event stream interpretation" describes, parsed by
 * eventsource-parser: it was faster than our own decoder on every model-shaped workload in
 * bench/sse-decoder.ts, so by the rule of issue 18 it replaced it. This class adds what the adapters need
 * around it: bytes decoded as streaming UTF-8 (a character split across reads arrives whole), the events of
 * one read collected into an array (one promise per read for the adapters, not one per event), and a bound on
 * one event that fails with `invalid-response` instead of buffering without end. The conformance cases it must
 * pass are in sse-decoder-conformance.test.ts.
 */
export class SseDecoder {
  // BOMs are passed through: the parser strips one leading BOM itself, while the TextDecoder's own stripping
  // loses a second BOM when the first is split across reads (Node 24).
  private readonly utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
  private readonly parser: EventSourceParser;
  private readonly maxEventLength: number;
  /** Where the read being parsed puts its events. */
  private out: SseEvent[] = [];
  private overflowed = false;

  constructor(maxEventLength = defaultMaxEventLength) {
    this.maxEventLength = maxEventLength;
    this.parser = createParser({
      maxBufferSize: maxEventLength,
      onEvent: (message) => this.out.push({ event: message.event, data: message.data }),
      onError: (error) => {
        if (error.type === 'max-buffer-size-exceeded') this.overflowed = true;
      },
    });
  }

  /** Decodes one chunk of the body, appending every event it completes to `out`. */
  push(chunk: Uint8Array, out: SseEvent[]): void {
    this.feed(this.utf8.decode(chunk, { stream: true }), out);
  }

  /** The body ended: completes the decoding; an event not closed by a blank line is dropped, as specified. */
  end(out: SseEvent[]): void {
    this.feed(this.utf8.decode(), out);
    this.parser.reset();
  }

  private feed(text: string, out: SseEvent[]): void {
    if (text === '') return;
    this.out = out;
    this.parser.feed(text);
    if (this.overflowed) {
      throw new AgenticGenError(
        'invalid-response',
        `[adapters] a server-sent event exceeded ${this.maxEventLength} characters; the stream is not a model answer or is broken`,
        { data: { maxEventLength: this.maxEventLength } },
      );
    }
  }
}
