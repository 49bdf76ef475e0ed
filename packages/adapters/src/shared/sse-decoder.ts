import { AgenticGenError } from '@agenticgen/core';

/** One server-sent event: its `event:` name (undefined for the default type) and its joined `data:` lines. */
export interface SseEvent {
  event: string | undefined;
  data: string;
}

const colon = 58;
const space = 32;
const lineFeed = 10;
const byteOrderMark = 0xfeff;

/** Default bound of one event (its data plus the line being read), in UTF-16 code units. */
export const defaultMaxEventLength = 64 * 1024 * 1024;

/**
 * Server-sent events decoded as the WHATWG HTML standard's "event stream interpretation" describes: lines
 * end with CRLF, LF or CR (also when a CRLF pair is split between two chunks), `:` lines are comments, one
 * optional space after the field's colon is removed, `data:` lines join with LF, a blank line dispatches, an
 * event without data is not dispatched, an empty `event:` field means the default type, and an unterminated
 * event at the end of the stream is discarded. Bytes are decoded as streaming UTF-8, so a character split
 * across network reads arrives whole; one leading byte order mark is dropped.
 *
 * A line that arrives over many reads is kept as a list of pieces and only each new read is searched for a
 * line end, so a large event in small reads costs linear time. An event longer than `maxEventLength` fails
 * with `invalid-response` rather than growing without bound.
 *
 * It decodes a whole network read synchronously into an array: the adapters then pay one promise per read
 * rather than the SDKs' chain of async generators per event (see docs/adapters.md, "Streaming overhead").
 */
export class SseDecoder {
  // The decoder keeps BOMs: its own BOM stripping loses a second BOM when the first is split across reads.
  private readonly utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
  private atStart = true;
  /** Pieces of the line not yet terminated, in order. */
  private readonly partialLine: string[] = [];
  private partialLength = 0;
  /** The last chunk ended with CR: an LF at the start of the next one belongs to the same line ending. */
  private afterCarriageReturn = false;
  private eventName: string | undefined;
  private data: string | undefined;

  private readonly maxEventLength: number;

  constructor(maxEventLength = defaultMaxEventLength) {
    this.maxEventLength = maxEventLength;
  }

  /** Decodes one chunk of the body, appending every event it completes to `out`. */
  push(chunk: Uint8Array, out: SseEvent[]): void {
    this.lines(this.utf8.decode(chunk, { stream: true }), out);
  }

  /** The body ended: completes the decoding; an event not closed by a blank line is dropped, as specified. */
  end(out: SseEvent[]): void {
    this.lines(this.utf8.decode(), out);
    this.partialLine.length = 0;
    this.partialLength = 0;
    this.eventName = undefined;
    this.data = undefined;
  }

  private lines(text: string, out: SseEvent[]): void {
    if (text.length === 0) return;
    let start = 0;
    if (this.atStart) {
      this.atStart = false;
      if (text.charCodeAt(0) === byteOrderMark) start = 1;
    }
    if (this.afterCarriageReturn) {
      this.afterCarriageReturn = false;
      if (text.charCodeAt(start) === lineFeed) start++;
    }
    // Each terminator is searched for once per pass over the new text: -1 means "none left", so never again.
    let nextLineFeed = text.indexOf('\n', start);
    let nextCarriageReturn = text.indexOf('\r', start);
    while (nextLineFeed !== -1 || nextCarriageReturn !== -1) {
      if (nextLineFeed !== -1 && nextLineFeed < start) nextLineFeed = text.indexOf('\n', start);
      if (nextCarriageReturn !== -1 && nextCarriageReturn < start) nextCarriageReturn = text.indexOf('\r', start);
      let end: number;
      let next: number;
      if (nextCarriageReturn === -1 || (nextLineFeed !== -1 && nextLineFeed < nextCarriageReturn)) {
        if (nextLineFeed === -1) break;
        end = nextLineFeed;
        next = nextLineFeed + 1;
      } else {
        end = nextCarriageReturn;
        next = nextCarriageReturn + 1;
        if (next === text.length) this.afterCarriageReturn = true;
        else if (text.charCodeAt(next) === lineFeed) next++;
      }
      if (this.partialLength === 0) {
        this.line(text, start, end, out);
      } else {
        this.partialLine.push(text.slice(start, end));
        const whole = this.partialLine.join('');
        this.partialLine.length = 0;
        this.partialLength = 0;
        this.line(whole, 0, whole.length, out);
      }
      start = next;
    }
    if (start < text.length) {
      this.partialLine.push(start === 0 ? text : text.slice(start));
      this.partialLength += text.length - start;
      this.checkLength();
    }
  }

  private line(text: string, start: number, end: number, out: SseEvent[]): void {
    if (start === end) {
      if (this.data !== undefined) out.push({ event: this.eventName, data: this.data });
      this.eventName = undefined;
      this.data = undefined;
      return;
    }
    if (text.charCodeAt(start) === colon) return;
    const fieldEnd = text.indexOf(':', start);
    let field: string;
    let value: string;
    if (fieldEnd === -1 || fieldEnd >= end) {
      field = text.slice(start, end);
      value = '';
    } else {
      field = text.slice(start, fieldEnd);
      value = text.slice(text.charCodeAt(fieldEnd + 1) === space ? fieldEnd + 2 : fieldEnd + 1, end);
    }
    if (field === 'data') {
      this.data = this.data === undefined ? value : `${this.data}\n${value}`;
      this.checkLength();
    } else if (field === 'event') {
      // The spec dispatches an empty event type as the default (`message`), as the SDKs read it.
      this.eventName = value === '' ? undefined : value;
    }
    // `id` and `retry` matter only to a reconnecting EventSource; a model stream is never resumed.
  }

  private checkLength(): void {
    const length = this.partialLength + (this.data?.length ?? 0);
    if (length <= this.maxEventLength) return;
    throw new AgenticGenError(
      'invalid-response',
      `[adapters] a server-sent event exceeded ${this.maxEventLength} characters; the stream is not a model answer or is broken`,
      { data: { maxEventLength: this.maxEventLength } },
    );
  }
}
