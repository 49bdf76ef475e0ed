import mammoth from 'mammoth';
import * as parse5 from 'parse5';
import { describe, expect, it } from 'vitest';
import { loadDocx } from './docx-loader.js';
import { docxFixtureText, makeDocxFixture } from './testing/docx-fixture.js';

describe('loadDocx', () => {
  it('keeps headings as the heading path, paragraphs with escaped characters, and tables as rows', async () => {
    const chunks = await loadDocx(await makeDocxFixture(), { source: 'policy.docx', mammoth, parse5 });
    expect(chunks.map((chunk) => chunk.heading)).toEqual(['Refund policy', 'Refund policy > Exceptions']);
    expect(chunks[0]?.text).toBe(docxFixtureText.intro);
    expect(chunks[1]?.text).toBe(`${docxFixtureText.exception}\n\nitem | days\nshoes | 30`);
    expect(chunks[0]?.source).toBe('policy.docx');
  });

  it('rejects a file that is not a .docx and one over maxBytes', async () => {
    await expect(loadDocx(new TextEncoder().encode('plain text'), { mammoth, parse5 })).rejects.toMatchObject({
      code: 'invalid-argument',
    });
    await expect(loadDocx(new Uint8Array(11), { maxBytes: 10, mammoth, parse5 })).rejects.toMatchObject({
      code: 'invalid-argument',
      data: { maxBytes: 10 },
    });
  });
});
