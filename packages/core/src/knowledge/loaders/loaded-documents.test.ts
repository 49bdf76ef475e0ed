import { describe, expect, it } from 'vitest';
import { createHashingEmbedder } from '../hashing-embedder.js';
import { createKnowledgeBase } from '../knowledge-base.js';
import { createMemoryVectorStore } from '../memory-vector-store.js';
import { loadCsv } from './record-loaders.js';

function setup() {
  const embedder = createHashingEmbedder({ dimensions: 128 });
  return createKnowledgeBase({ embedder, vectorStore: createMemoryVectorStore({ dimensions: 128 }) });
}

describe('adding loader chunks', () => {
  it('stores each chunk as is, with its place (page, record, offsets, heading) in the result metadata', async () => {
    const knowledge = setup();
    const report = await knowledge.add({
      id: 'handbook',
      source: 'handbook.pdf',
      content: '',
      chunks: [
        { text: 'Refunds take five days.', index: 0, source: 'handbook.pdf', page: 1, start: 0, end: 23 },
        {
          text: 'Gift cards are final.',
          index: 1,
          source: 'handbook.pdf',
          page: 2,
          heading: 'Cards',
          start: 25,
          end: 46,
        },
      ],
    });
    expect(report.chunks).toBe(2);
    const [top] = await knowledge.search('gift cards', { topK: 1 });
    expect(top).toMatchObject({ id: 'handbook#1', heading: 'Cards', text: 'Gift cards are final.' });
    expect(top?.metadata).toMatchObject({ page: 2, start: 25, end: 46, source: 'handbook.pdf' });

    const csv = 'name,role\nAda,engineer\nAlan,mathematician\n';
    await knowledge.add({ id: 'people', content: '', chunks: loadCsv(csv, { source: 'people.csv' }) });
    const [person] = await knowledge.search('mathematician', { topK: 1 });
    expect(person?.metadata).toMatchObject({ record: 2, documentId: 'people' });
    expect(csv.slice(Number(person?.metadata.start), Number(person?.metadata.end))).toBe('Alan,mathematician');
  });

  it('rejects empty chunk text and document metadata that would clash with the place keys', async () => {
    const knowledge = setup();
    await expect(
      knowledge.add({ id: 'x', content: '', chunks: [{ text: ' ', index: 0, source: 'x', start: 0, end: 1 }] }),
    ).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(
      knowledge.add({
        id: 'y',
        content: '',
        metadata: { page: 3 },
        chunks: [{ text: 'text', index: 0, source: 'y', start: 0, end: 4 }],
      }),
    ).rejects.toMatchObject({ code: 'invalid-argument', message: expect.stringContaining('page') });
  });
});
