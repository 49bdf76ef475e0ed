/**
 * Keeps large ingests from stalling the event loop: work is counted in characters and, once a budget of them
 * has been processed since the last pause, the pipeline waits for a later event-loop turn (a macrotask), so
 * timers, I/O, other requests and rendering run between batches.
 */

/** Characters processed between two yields by default (a few milliseconds of cleaning, chunking or embedding). */
export const defaultYieldEveryCharacters = 16_384;

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

/** Counts work and yields once the budget is spent. */
export interface Pacer {
  /** Records `characters` of finished work; yields first when the budget is used up. */
  spend(characters: number): Promise<void>;
}

export function createPacer(budget: number, pause: () => Promise<void> = yieldToEventLoop): Pacer {
  let spent = 0;
  return {
    async spend(characters) {
      spent += characters;
      if (spent < budget) return;
      spent = 0;
      await pause();
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
