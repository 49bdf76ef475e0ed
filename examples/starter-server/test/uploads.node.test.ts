import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryVectorStore } from '@agenticgen/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.ts';
import { createKnowledgeService, createStarterEmbedder } from '../src/services/knowledge-service.ts';
import type { IngestProgress } from '../src/services/types.ts';
import { readSse, startTestServer, type TestServer } from './harness.ts';

describe('uploaded documents', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const upload = (json: Record<string, unknown>) => server.api('/api/knowledge/documents', { method: 'POST', json });
  const documents = async () =>
    (
      (await (await server.api('/api/knowledge/documents')).json()) as {
        documents: Array<{ id: string; name: string }>;
      }
    ).documents;

  it('keeps Unicode in ids: 日本語.md and 中文.md are two documents', async () => {
    const japanese = await upload({ name: '日本語.md', content: '東京は日本の首都です。' });
    const chinese = await upload({ name: '中文.md', content: '北京是中国的首都。' });
    expect(japanese.status).toBe(201);
    expect(chinese.status).toBe(201);
    const ids = [
      ((await japanese.json()) as { document: { id: string } }).document.id,
      ((await chinese.json()) as { document: { id: string } }).document.id,
    ];
    expect(ids).toEqual(['日本語.md', '中文.md']);
    const names = (await documents()).map((document) => document.name);
    expect(names).toEqual(expect.arrayContaining(['日本語.md', '中文.md']));
    const removed = await server.api(`/api/knowledge/documents/${encodeURIComponent('日本語.md')}`, {
      method: 'DELETE',
    });
    expect(removed.status).toBe(200);
  });

  it('refuses a name clash with 409 unless the upload asks to replace', async () => {
    expect((await upload({ name: 'Notes.md', content: 'first version' })).status).toBe(201);
    const clash = await upload({ name: 'notes.md', content: 'second version' });
    expect(clash.status).toBe(409);
    expect(await clash.json()).toMatchObject({ error: { code: 'already-exists', data: { id: 'notes.md' } } });
    const replaced = await upload({ name: 'notes.md', content: 'second version', replace: true });
    expect(replaced.status).toBe(201);
    const raw = await server.api('/api/knowledge/documents?name=notes.md&replace=1', {
      method: 'POST',
      body: 'third version',
      headers: { 'content-type': 'text/markdown' },
    });
    expect(raw.status).toBe(201);
    expect((await documents()).filter((document) => document.id === 'notes.md')).toHaveLength(1);
    const search = (await (
      await server.api('/api/knowledge/search', { method: 'POST', json: { query: 'third version' } })
    ).json()) as { results: Array<{ text: string }> };
    expect(search.results[0]?.text).toContain('third version');
  });

  it('streams ingest progress when the client accepts text/event-stream', async () => {
    const content = Array.from({ length: 4000 }, (_, index) => `Paragraph ${index} about tides and moons.`).join(
      '\n\n',
    );
    const response = await server.api('/api/knowledge/documents?name=tides.txt', {
      method: 'POST',
      body: content,
      headers: { 'content-type': 'text/plain', accept: 'text/event-stream' },
    });
    expect(response.status).toBe(200);
    const events = await readSse(response);
    const progress = events.filter((event) => event.event === 'ingest-progress');
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)?.data).toMatchObject({ documentId: 'tides.txt' });
    expect(progress.at(-1)?.data.completedChunks).toBe(progress.at(-1)?.data.totalChunks);
    expect(events.at(-1)).toMatchObject({ event: 'document', data: { document: { id: 'tides.txt' } } });
  });
});

describe('ingesting a large document', () => {
  it('embeds in batches and gives the event loop a turn between them', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'agenticgen-ingest-'));
    try {
      const service = await createKnowledgeService({
        directory,
        vectorStore: createMemoryVectorStore({ dimensions: createStarterEmbedder().dimensions }),
        log: createLogger({ silent: true }),
      });
      const sentence = 'The tide rises and falls twice a day as the moon pulls on the oceans. ';
      const content = sentence.repeat(12_000); // ≈ 850 KB
      // Counts turns of the event loop while the ingest runs: other requests get those turns.
      let turns = 0;
      let ingesting = true;
      const turn = () => {
        turns++;
        if (ingesting) setImmediate(turn);
      };
      setImmediate(turn);
      const seen: Array<IngestProgress & { turns: number }> = [];
      await service.add(
        { name: 'tides.txt', content, mediaType: 'text/plain' },
        { onProgress: (progress) => seen.push({ ...progress, turns }) },
      );
      ingesting = false;
      expect(seen.length).toBeGreaterThan(10);
      expect(seen.at(-1)?.completedChunks).toBe(seen.at(-1)?.totalChunks);
      // Between every two batches the loop turned at least once.
      for (let index = 1; index < seen.length; index++) {
        expect(seen[index]?.turns).toBeGreaterThan(seen[index - 1]?.turns ?? 0);
      }
      await service.dispose();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
