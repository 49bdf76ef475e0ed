import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './harness.ts';

const otters = `# Sea otters

Sea otters hold hands while they sleep so that they do not drift apart. A group of resting otters is called a raft.

## Tools

Sea otters use rocks as tools to crack open clams and sea urchins on their bellies.`;

const volcano =
  '<html><body><h1>Volcanoes</h1><p>Mount Etna in Sicily is one of the most active volcanoes in the world.</p><script>alert(1)</script></body></html>';

describe('knowledge and the offline demo model', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ services: { sandbox: false } });
  });
  afterAll(() => server.close());

  it('uploads Markdown as JSON and HTML as a raw body, and lists them', async () => {
    const markdown = await server.api('/api/knowledge/documents', {
      method: 'POST',
      json: { name: 'otters.md', content: otters },
    });
    expect(markdown.status).toBe(201);
    expect(await markdown.json()).toMatchObject({
      document: { id: 'otters.md', mediaType: 'text/markdown', chunks: expect.any(Number) },
    });
    const html = await server.api('/api/knowledge/documents?name=volcanoes.html', {
      method: 'POST',
      body: volcano,
      headers: { 'content-type': 'text/html' },
    });
    expect(html.status).toBe(201);
    const list = (await (await server.api('/api/knowledge/documents')).json()) as {
      documents: Array<{ name: string; chunks: number }>;
    };
    expect(list.documents.map((document) => document.name)).toEqual(['otters.md', 'volcanoes.html']);
    expect(list.documents.every((document) => document.chunks > 0)).toBe(true);
  });

  it('refuses unsupported media types and empty documents', async () => {
    const zip = await server.api('/api/knowledge/documents?name=archive.zip', {
      method: 'POST',
      body: 'PK',
      headers: { 'content-type': 'application/zip' },
    });
    expect(zip.status).toBe(415);
    // PDFs are read by core's loader (test/uploads-pdf-docx.node.test.ts); a truncated one is a 400.
    const pdf = await server.api('/api/knowledge/documents?name=paper.pdf', {
      method: 'POST',
      body: '%PDF-1.7',
      headers: { 'content-type': 'application/pdf' },
    });
    expect(pdf.status).toBe(400);
    const empty = await server.api('/api/knowledge/documents', {
      method: 'POST',
      json: { name: 'empty.txt', content: '   ' },
    });
    expect(empty.status).toBe(400);
  });

  it('searches with scores and sources; HTML is cleaned of scripts', async () => {
    const response = await server.api('/api/knowledge/search', {
      method: 'POST',
      json: { query: 'which volcano is active in Sicily', topK: 2 },
    });
    const { results } = (await response.json()) as { results: Array<{ source: string; text: string; score: number }> };
    expect(results[0]?.source).toBe('volcanoes.html');
    expect(results[0]?.text).toContain('Mount Etna');
    expect(results[0]?.text).not.toContain('alert');
    // The same search again is served from the cache (counted in /metrics).
    const again = await server.api('/api/knowledge/search', {
      method: 'POST',
      json: { query: 'which volcano is active in Sicily', topK: 2 },
    });
    expect(((await again.json()) as { results: unknown[] }).results).toEqual(results);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    const hits = /^agenticgen_cache_requests_total\{[^}]*cache_result="hit"[^}]*\} (\d+)/m.exec(metrics);
    expect(Number(hits?.[1])).toBeGreaterThanOrEqual(1);
  });

  it('answers a question by quoting the best passage with a numbered citation', async () => {
    const response = await server.api('/api/chat', {
      method: 'POST',
      json: { messages: [{ role: 'user', content: 'Why do sea otters hold hands?' }] },
    });
    const body = (await response.json()) as { result: { text: string; steps: number } };
    expect(body.result.steps).toBe(2);
    expect(body.result.text).toMatch(/hold hands while they sleep.*\[1\]/s);
    expect(body.result.text).toMatch(/\[1\] otters\.md/);
  });

  it('runs the collaboration task: the supervisor delegates to the researcher, whose steps stream labelled', async () => {
    const response = await server.api('/api/collaboration', {
      method: 'POST',
      json: { task: 'Why do sea otters hold hands?', stream: true },
    });
    const events = (await response.text())
      .split('\n\n')
      .filter((block) => block.startsWith('event:'))
      .map((block) => JSON.parse(block.split('\n')[1]?.slice(6) ?? '{}') as Record<string, unknown>);
    const delegation = events.find((event) => event.type === 'tool-call' && event.agent === 'supervisor');
    expect(delegation).toMatchObject({ toolName: 'researcher', input: { input: 'Why do sea otters hold hands?' } });
    const search = events.find((event) => event.type === 'tool-call' && event.agent === 'researcher');
    expect(search).toMatchObject({ toolName: 'search_knowledge' });
    const finish = events.at(-1) as { type: string; result: { text: string; delegations: string[] } };
    expect(finish.type).toBe('run-finish');
    expect(finish.result.delegations).toEqual(['researcher']);
    expect(finish.result.text).toMatch(/researcher reports:.*hold hands while they sleep/s);
  });

  it('deletes a document so it is no longer found', async () => {
    const deleted = await server.api('/api/knowledge/documents/volcanoes.html', { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    const again = await server.api('/api/knowledge/documents/volcanoes.html', { method: 'DELETE' });
    expect(again.status).toBe(404);
    const { results } = (await (
      await server.api('/api/knowledge/search', {
        method: 'POST',
        json: { query: 'Mount Etna Sicily volcano', topK: 3 },
      })
    ).json()) as { results: Array<{ source: string }> };
    expect(results.every((result) => result.source !== 'volcanoes.html')).toBe(true);
  });
});

describe('knowledge across restarts', () => {
  it('re-indexes the stored documents into a fresh LanceDB table at start', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'agenticgen-restart-'));
    try {
      const first = await startTestServer({ config: { dataDir } });
      await first.api('/api/knowledge/documents', {
        method: 'POST',
        json: { name: 'comets.md', content: 'Comet tails always point away from the sun.' },
      });
      await first.api('/api/knowledge/documents', {
        method: 'POST',
        json: { name: 'gone.md', content: 'Deleted document about zebras.' },
      });
      await first.api('/api/knowledge/documents/gone.md', { method: 'DELETE' });
      await first.app.shutdown('restart');

      const second = await startTestServer({ config: { dataDir } });
      expect(second.app.context.services.features['vector-store']?.detail).toContain('LanceDB');
      const list = (await (await second.api('/api/knowledge/documents')).json()) as {
        documents: Array<{ name: string }>;
      };
      expect(list.documents.map((document) => document.name)).toEqual(['comets.md']);
      const search = await second.api('/api/knowledge/search', {
        method: 'POST',
        json: { query: 'which way do comet tails point' },
      });
      const { results } = (await search.json()) as { results: Array<{ source: string; text: string }> };
      expect(results[0]).toMatchObject({ source: 'comets.md', text: expect.stringContaining('away from the sun') });
      expect(results.some((result) => result.text.includes('zebras'))).toBe(false);
      await second.app.shutdown('done');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
