import { describe, expect, it } from 'vitest';
import { toCleanText } from './clean-text.js';
import { createHashingEmbedder } from './hashing-embedder.js';
import { createPacer, splitAtLineBreaks, yieldToEventLoop } from './ingest-pacing.js';
import { createKnowledgeBase } from './knowledge-base.js';
import { createMemoryVectorStore } from './memory-vector-store.js';

/** About 230 KB of plain text with CRLF line ends, padded lines and runs of blank lines between paragraphs. */
function largeText(): string {
  return Array.from(
    { length: 1500 },
    (_, index) =>
      `  Ticket ${index}: refund requests for order ${index} are answered   within five working days.\r\n` +
      `The customer keeps the receipt number R-${index}.  ${index % 3 === 0 ? '\r\n\r\n\r\n' : '\r\n\r\n'}`,
  ).join('');
}

describe('large ingests', () => {
  it('clean, chunk, embed and index in bounded batches that yield to the event loop, reporting progress', async () => {
    const budget = 4096;
    const trace: string[] = [];
    let yields = 0;
    const knowledge = createKnowledgeBase({
      vectorStore: createMemoryVectorStore({ dimensions: 32 }),
      embedder: createHashingEmbedder({ dimensions: 32 }),
      batchSize: 16,
      yieldEveryCharacters: budget,
      yieldControl: async () => {
        yields++;
        trace.push('yield');
        await yieldToEventLoop();
      },
    });
    const chunking: Array<{ processedCharacters: number; totalCharacters: number }> = [];
    knowledge.events.on('chunk-progress', (event) => {
      chunking.push(event);
      trace.push('chunk');
    });
    knowledge.events.on('ingest-progress', () => {
      trace.push('embed');
    });
    const content = largeText();
    const clean = toCleanText(content, 'text');
    const report = await knowledge.add({ id: 'tickets', content });

    // Chunking progress runs from a first slice to the whole clean text, one bounded slice at a time.
    expect(chunking.at(-1)).toEqual({
      documentId: 'tickets',
      processedCharacters: clean.length,
      totalCharacters: clean.length,
    });
    const steps = chunking.map(
      (event, index) => event.processedCharacters - (chunking[index - 1]?.processedCharacters ?? 0),
    );
    expect(steps.length).toBeGreaterThan(clean.length / budget);
    expect(Math.max(...steps)).toBeLessThanOrEqual(budget);
    // Cleaning and chunking each yield after every budget's worth of text; embedding after each batch.
    expect(yields).toBeGreaterThanOrEqual(Math.floor((2 * clean.length) / budget) + report.chunks / 16 - 1);
    const between = trace.join(' ').split('yield');
    for (const stretch of between) {
      expect(stretch.split('embed').length - 1).toBeLessThanOrEqual(1);
      expect(stretch.split('chunk').length - 1).toBeLessThanOrEqual(2);
    }
    // Slicing changes where chunks may end, never the text: every chunk is a piece of the one-pass clean text.
    expect(report.chunks).toBeGreaterThan(10);
    const results = await knowledge.search('receipt number R-1234', { topK: 1, mode: 'keyword' });
    expect(results[0]?.text).toContain('R-1234.');
    for (const result of await knowledge.search('refund requests', { topK: 50, mode: 'keyword' })) {
      expect(clean).toContain(result.text);
    }
  });

  it('leaves small documents to one pass and rejects a yield budget too small to make progress', async () => {
    let yields = 0;
    const knowledge = createKnowledgeBase({
      vectorStore: createMemoryVectorStore({ dimensions: 32 }),
      embedder: createHashingEmbedder({ dimensions: 32 }),
      // Time is left out (a cold first call can take 10 ms); a small text never reaches a character budget.
      yieldEveryMs: Number.POSITIVE_INFINITY,
      yieldEveryCharacters: 4096,
      yieldControl: async () => {
        yields++;
      },
    });
    await knowledge.add({ id: 'small', content: 'Refunds take five days.' });
    expect(yields).toBe(0);
    expect(() =>
      createKnowledgeBase({
        vectorStore: createMemoryVectorStore({ dimensions: 32 }),
        embedder: createHashingEmbedder({ dimensions: 32 }),
        yieldEveryCharacters: 10,
      }),
    ).toThrow(expect.objectContaining({ code: 'invalid-config' }));
  });
});

describe('time-paced ingest', () => {
  it('yields after every unit of work with yieldEveryMs 0, and never with no time or character budget', async () => {
    const content = largeText();
    const count = async (options: { yieldEveryMs: number; yieldEveryCharacters?: number }) => {
      let yields = 0;
      const knowledge = createKnowledgeBase({
        vectorStore: createMemoryVectorStore({ dimensions: 32 }),
        embedder: createHashingEmbedder({ dimensions: 32 }),
        batchSize: 16,
        ...options,
        yieldControl: async () => {
          yields++;
        },
      });
      const report = await knowledge.add({ id: 'tickets', content });
      return { yields, chunks: report.chunks };
    };
    const eager = await count({ yieldEveryMs: 0 });
    // Each indexed chunk is a unit of work, so at least one yield per chunk.
    expect(eager.yields).toBeGreaterThanOrEqual(eager.chunks);
    expect(await count({ yieldEveryMs: Number.POSITIVE_INFINITY })).toEqual({ yields: 0, chunks: eager.chunks });
    // A character budget still yields on count, whatever the clock says.
    const counted = await count({ yieldEveryMs: Number.POSITIVE_INFINITY, yieldEveryCharacters: 4096 });
    expect(counted.yields).toBeGreaterThanOrEqual(Math.floor(content.length / 4096));
  });

  it('rejects a negative or non-numeric yieldEveryMs', () => {
    for (const yieldEveryMs of [-1, Number.NaN, '5' as unknown as number]) {
      expect(() =>
        createKnowledgeBase({
          vectorStore: createMemoryVectorStore({ dimensions: 32 }),
          embedder: createHashingEmbedder({ dimensions: 32 }),
          yieldEveryMs,
        }),
      ).toThrow(expect.objectContaining({ code: 'invalid-config' }));
    }
  });
});

describe('ingest pacing helpers', () => {
  it('createPacer yields once the time budget has passed since the last yield, on any amount of work', async () => {
    let clock = 0;
    const pauses: number[] = [];
    const pacer = createPacer({
      everyMs: 10,
      now: () => clock,
      pause: async () => {
        pauses.push(clock);
        clock += 1; // the pause itself takes a moment; the budget restarts after it
      },
    });
    clock = 4;
    await pacer.spend(1_000_000);
    expect(pauses).toEqual([]);
    clock = 10;
    await pacer.spend(1);
    expect(pauses).toEqual([10]);
    clock = 20;
    await pacer.spend(1);
    expect(pauses).toEqual([10]);
    clock = 21;
    await pacer.spend(1);
    expect(pauses).toEqual([10, 21]);
  });

  it('createPacer with a character budget also yields on count', async () => {
    let yields = 0;
    const pacer = createPacer({
      everyMs: Number.POSITIVE_INFINITY,
      everyCharacters: 100,
      now: () => 0,
      pause: async () => {
        yields++;
      },
    });
    // 4 × 30 reaches 100: a yield, and the count starts again.
    for (let step = 0; step < 10; step++) await pacer.spend(30);
    expect(yields).toBe(2);
  });

  it('splitAtLineBreaks cuts only inside whitespace runs with a line break, keeping every other character', () => {
    const text = 'alpha beta\r\n\r\ngamma delta\nepsilon zeta eta theta\n\n\niota';
    const pieces = splitAtLineBreaks(text, 12);
    expect(pieces.map(({ start, end }) => text.slice(start, end))).toEqual([
      'alpha beta',
      'gamma delta',
      'epsilon zeta eta theta',
      'iota',
    ]);
    expect(pieces.map(({ separator }) => separator)).toEqual(['', '\r\n\r\n', '\n', '\n\n\n']);
    expect(splitAtLineBreaks('no line break at all, however long', 5)).toEqual([{ start: 0, end: 34, separator: '' }]);
  });

  it('yieldToEventLoop lets queued macrotasks run', async () => {
    let ran = false;
    setTimeout(() => {
      ran = true;
    }, 0);
    // Microtask-only "yields" would spin here forever without letting the timer fire.
    for (let turn = 0; turn < 10_000 && !ran; turn++) await yieldToEventLoop();
    expect(ran).toBe(true);
  });
});
