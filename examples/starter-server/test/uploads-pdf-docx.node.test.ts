/**
 * Issue 23 in the starter: PDF and Word uploads go through core's loaders (`loadPdf`, `loadDocx`), so their
 * passages are searchable and carry their page or heading path. The fixtures are made in code by core's
 * fixture writers (a PDF written object by object, a .docx zipped with JSZip), never downloaded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docxFixtureText, makeDocxFixture } from '../../../packages/core/src/knowledge/loaders/testing/docx-fixture.ts';
import { makePdfFixture } from '../../../packages/core/src/knowledge/loaders/testing/pdf-fixture.ts';
import { startTestServer, type TestServer } from './harness.ts';

interface Passage {
  source: string;
  text: string;
  page?: number;
  heading?: string;
}

const handbook = makePdfFixture({
  header: 'ACME Handbook',
  footer: 'Page {page}',
  pages: [
    ['Refunds take five days.', 'Keep the receipt.'],
    ['Gift cards are final.'],
    ['Lighthouse keepers trim wicks.'],
  ],
});

describe('uploading PDF and Word documents', () => {
  let server: TestServer;
  const uploadRaw = (name: string, bytes: Uint8Array, type: string) =>
    server.api(`/api/knowledge/documents?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': type },
      body: new Blob([bytes as Uint8Array<ArrayBuffer>]),
    });
  const search = async (query: string): Promise<Passage[]> => {
    const response = await server.api('/api/knowledge/search', { method: 'POST', json: { query, topK: 3 } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { results: Passage[] }).results;
  };

  beforeAll(async () => {
    server = await startTestServer({ limits: { uploadBytes: 64 * 1024 } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a PDF: each passage is searchable and says its page; running headers and footers are dropped', async () => {
    const response = await uploadRaw('handbook.pdf', handbook, 'application/pdf');
    expect(response.status).toBe(201);
    const { document } = (await response.json()) as { document: { mediaType: string; bytes: number; chunks: number } };
    expect(document).toMatchObject({ mediaType: 'application/pdf', bytes: handbook.byteLength, chunks: 3 });

    const [gift] = await search('gift cards final');
    expect(gift).toMatchObject({ source: 'handbook.pdf', page: 2, text: 'Gift cards are final.' });
    const [wicks] = await search('lighthouse keepers wicks');
    expect(wicks).toMatchObject({ source: 'handbook.pdf', page: 3 });
    expect(JSON.stringify(await search('ACME Handbook page'))).not.toContain('ACME Handbook');
  });

  it('a .docx (named by its file name, sent as octet-stream): passages carry their heading path', async () => {
    const docx = await makeDocxFixture();
    const response = await uploadRaw('policy.docx', docx, 'application/octet-stream');
    expect(response.status).toBe(201);
    const [exception] = await search('gift cards never refunded');
    expect(exception).toMatchObject({
      source: 'policy.docx',
      heading: `${docxFixtureText.title} > ${docxFixtureText.section}`,
    });
    expect(exception?.text).toContain(docxFixtureText.exception);
    const [intro] = await search('refunds orders approved support');
    expect(intro).toMatchObject({ source: 'policy.docx', heading: docxFixtureText.title });
    expect(intro?.text).toContain('< 30 days & unused');
  });

  it('the chat cites a PDF passage with its page, through search_knowledge', async () => {
    const response = await server.api('/api/ui/chat', {
      method: 'POST',
      json: {
        id: 'pdf-chat',
        messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'Are gift cards final?' }] }],
      },
    });
    const text = await response.text();
    expect(text).toContain('"toolName":"search_knowledge"');
    expect(text).toMatch(
      /"source":"handbook\.pdf","chunk":\d+,"text":"Gift cards are final\.","score":[\d.e-]+,"page":2/,
    );
  });

  it('refuses what it cannot read, with a clear 4xx that names why', async () => {
    const encrypted = await uploadRaw(
      'secret.pdf',
      makePdfFixture({ pages: [['secret']], encrypted: true }),
      'application/pdf',
    );
    expect(encrypted.status).toBe(415);
    expect(((await encrypted.json()) as { error: { message: string } }).error.message).toContain('encrypted');
    const scanned = await uploadRaw('scan.pdf', makePdfFixture({ pages: [[], []] }), 'application/pdf');
    expect(scanned.status).toBe(415);
    expect(((await scanned.json()) as { error: { message: string } }).error.message).toContain('no text layer');
    const broken = await uploadRaw('broken.pdf', new TextEncoder().encode('not a pdf at all'), 'application/pdf');
    expect(broken.status).toBe(400);
    const asJson = await server.api('/api/knowledge/documents', {
      method: 'POST',
      json: { name: 'a.pdf', content: 'x' },
    });
    expect(asJson.status).toBe(415);
  });

  it('refuses a PDF over the upload limit with 413 before reading it', async () => {
    const big = makePdfFixture({ pages: Array.from({ length: 400 }, (_, index) => [`Page body number ${index}.`]) });
    expect(big.byteLength).toBeGreaterThan(64 * 1024);
    const response = await uploadRaw('big.pdf', big, 'application/pdf');
    expect(response.status).toBe(413);
  });
});
