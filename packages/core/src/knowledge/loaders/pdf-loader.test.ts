import * as unpdf from 'unpdf';
import { describe, expect, it } from 'vitest';
import { loadPdf } from './pdf-loader.js';
import { makePdfFixture } from './testing/pdf-fixture.js';

describe('loadPdf', () => {
  it('extracts text page by page, drops running headers and footers, and records pages and offsets', async () => {
    const pdf = makePdfFixture({
      header: 'ACME Handbook',
      footer: 'Page {page}',
      pages: [
        ['Refunds take five days.', 'Keep the receipt.'],
        ['Gift cards are final.'],
        ['Shipping is free over 50 euros.'],
      ],
    });
    const chunks = await loadPdf(pdf, { source: 'handbook.pdf', unpdf });
    expect(chunks.map((chunk) => [chunk.page, chunk.text])).toEqual([
      [1, 'Refunds take five days.\nKeep the receipt.'],
      [2, 'Gift cards are final.'],
      [3, 'Shipping is free over 50 euros.'],
    ]);
    const all = chunks.map((chunk) => chunk.text).join(' ');
    expect(all).not.toContain('ACME');
    expect(all).not.toContain('Page');
    const text = 'Refunds take five days.\nKeep the receipt.\n\nGift cards are final.';
    expect(text.slice(chunks[1]?.start, chunks[1]?.end)).toBe('Gift cards are final.');
    expect(chunks[0]?.source).toBe('handbook.pdf');
  });

  it('rejects image-only and encrypted PDFs as unsupported, and non-PDF bytes as invalid', async () => {
    await expect(loadPdf(makePdfFixture({ pages: [[], []] }), { unpdf })).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringContaining('no text layer'),
    });
    await expect(loadPdf(makePdfFixture({ pages: [['secret']], encrypted: true }), { unpdf })).rejects.toMatchObject({
      code: 'unsupported',
      message: expect.stringContaining('encrypted'),
    });
    await expect(loadPdf(new TextEncoder().encode('not a pdf'), { unpdf })).rejects.toMatchObject({
      code: 'invalid-argument',
    });
    await expect(loadPdf(new Uint8Array(11), { maxBytes: 10, unpdf })).rejects.toMatchObject({
      code: 'invalid-argument',
    });
  });
});
