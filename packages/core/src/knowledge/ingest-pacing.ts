/**
 * Keeps large ingests from stalling the event loop. Work is done in bounded units (a slice of text cleaned or
 * chunked, a batch embedded or written, a chunk indexed) and after each unit the pipeline checks the clock:
 * once a time budget has passed since the last pause it waits for a later event-loop turn (a macrotask), so
 * timers, I/O, other requests and rendering run between batches. Measuring time rather than counting work
 * adapts to the machine: a loaded machine, a slow embedder or a heavy format pauses after fewer characters.
 */

/** Characters of text in one unit of cleaning, chunking or hashing (a few milliseconds of work at most). */
export const defaultSliceCharacters = 16_384;

/** Milliseconds of work between two yields by default. */
export const defaultYieldEveryMs = 10;

/**
 * Resolves on a later event-loop turn: `setImmediate` in Node, a posted message in browsers. Not
 * `scheduler.yield()`: Chromium runs its continuations ahead of queued timers, which would keep starving them.
 */
export function yieldToEventLoop(): Promise<void> {
  const scope = globalThis as { setImmediate?: (callback: () => void) => unknown };
  const immediate = scope.setImmediate;
  if (typeof immediate === 'function') return new Promise((resolve) => immediate(() => resolve()));
  return new Promise((resolve) => {
    // A posted message is a macrotask without setTimeout's 4 ms clamp on nested timers.
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}

/** Told of each finished unit of work; yields when the time budget (or a character budget) is spent. */
export interface Pacer {
  /** Records `characters` of finished work; yields first when the budget is used up. */
  spend(characters: number): Promise<void>;
}

export interface PacerOptions {
  /** Yield once this many milliseconds have passed since the last yield (default 10). */
  everyMs?: number;
  /** Also yield once this many characters of work were recorded since the last yield (default: no count). */
  everyCharacters?: number;
  /** How to yield (default `yieldToEventLoop`). */
  pause?: () => Promise<void>;
  /** The clock, in milliseconds (default `performance.now`). */
  now?: () => number;
}

export function createPacer(options: PacerOptions = {}): Pacer {
  const everyMs = options.everyMs ?? defaultYieldEveryMs;
  const everyCharacters = options.everyCharacters ?? Number.POSITIVE_INFINITY;
  const pause = options.pause ?? yieldToEventLoop;
  const now = options.now ?? (() => performance.now());
  let spent = 0;
  let since = now();
  return {
    async spend(characters) {
      spent += characters;
      if (spent < everyCharacters && now() - since < everyMs) return;
      spent = 0;
      await pause();
      since = now();
    },
  };
}

/**
 * Cuts `text` into pieces of at most about `maxCharacters`, only inside whitespace runs that hold a line break,
 * so every piece is whole lines. Each piece but the first carries the whitespace run it was cut at
 * (`separator`), which lets whitespace normalisation run piece by piece with the same result as on the whole.
 */
export function splitAtLineBreaks(
  text: string,
  maxCharacters: number,
): Array<{ start: number; end: number; separator: string }> {
  const pieces: Array<{ start: number; end: number; separator: string }> = [];
  let start = 0;
  let separator = '';
  while (text.length - start > maxCharacters) {
    let cut = text.lastIndexOf('\n', start + maxCharacters);
    if (cut <= start) cut = text.indexOf('\n', start + maxCharacters);
    if (cut < 0) break;
    let runStart = cut;
    while (runStart > start && /\s/.test(text[runStart - 1] as string)) runStart--;
    let runEnd = cut + 1;
    while (runEnd < text.length && /\s/.test(text[runEnd] as string)) runEnd++;
    pieces.push({ start, end: runStart, separator });
    separator = text.slice(runStart, runEnd);
    start = runEnd;
  }
  pieces.push({ start, end: text.length, separator });
  return pieces;
}
