import { describe, expect, it } from 'vitest';
import { toCleanText } from './clean-text.js';
import { createHashingEmbedder } from './hashing-embedder.js';
import { splitAtLineBreaks, yieldToEventLoop } from './ingest-pacing.js';
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

describe('ingest pacing helpers', () => {
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
