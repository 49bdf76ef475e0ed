/** One server-sent event: its `event:` name (undefined when the server sent none) and its joined `data:` lines. */
export interface SseEvent {
  event: string | undefined;
  data: string;
}

const colon = 58;
const space = 32;

/**
 * Server-sent events decoded as the WHATWG HTML standard's "event stream interpretation" describes: lines
 * end with CRLF, LF or CR (also when a CRLF pair is split between two chunks), `:` lines are comments, one
 * optional space after the field's colon is removed, `data:` lines join with LF, a blank line dispatches, an
 * event without data is not dispatched, and an unterminated event at the end of the stream is discarded. Bytes
 * are decoded as streaming UTF-8, so a character split across network reads arrives whole (a leading BOM is
 * dropped by the decoder).
 *
 * It decodes a whole network read synchronously into an array: the adapters then pay one promise per read
 * rather than the SDKs' chain of async generators per event (see docs/adapters.md, "Streaming overhead").
 */
export class SseDecoder {
  private readonly utf8 = new TextDecoder('utf-8');
  /** The unterminated tail of the last chunk. */
  private partialLine = '';
  /** The last chunk ended with CR: an LF at the start of the next one belongs to the same line ending. */
  private afterCarriageReturn = false;
  private eventName: string | undefined;
  private data: string | undefined;

  /** Decodes one chunk of the body, appending every event it completes to `out`. */
  push(chunk: Uint8Array, out: SseEvent[]): void {
    this.lines(this.utf8.decode(chunk, { stream: true }), out);
  }

  /** The body ended: completes the decoding; an event not closed by a blank line is dropped, as specified. */
  end(out: SseEvent[]): void {
    this.lines(this.utf8.decode(), out);
    this.partialLine = '';
    this.eventName = undefined;
    this.data = undefined;
  }

  private lines(decoded: string, out: SseEvent[]): void {
    let text = this.partialLine === '' ? decoded : this.partialLine + decoded;
    if (this.afterCarriageReturn && text.length > 0) {
      this.afterCarriageReturn = false;
      if (text.charCodeAt(0) === 10) text = text.slice(1);
    }
    let start = 0;
    // Each terminator is searched for once per pass over the text: -1 means "none left", so never again.
    let lineFeed = text.indexOf('\n');
    let carriageReturn = text.indexOf('\r');
    while (lineFeed !== -1 || carriageReturn !== -1) {
      if (lineFeed !== -1 && lineFeed < start) lineFeed = text.indexOf('\n', start);
      if (carriageReturn !== -1 && carriageReturn < start) carriageReturn = text.indexOf('\r', start);
      let end: number;
      let next: number;
      if (carriageReturn === -1 || (lineFeed !== -1 && lineFeed < carriageReturn)) {
        if (lineFeed === -1) break;
        end = lineFeed;
        next = lineFeed + 1;
      } else {
        end = carriageReturn;
        next = carriageReturn + 1;
        if (next === text.length) this.afterCarriageReturn = true;
        else if (text.charCodeAt(next) === 10) next++;
      }
      this.line(text, start, end, out);
      start = next;
    }
    this.partialLine = start === 0 ? text : text.slice(start);
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
    if (field === 'data') this.data = this.data === undefined ? value : `${this.data}\n${value}`;
    else if (field === 'event') this.eventName = value;
    // `id` and `retry` matter only to a reconnecting EventSource; a model stream is never resumed.
  }
}
