import { describe, expect, it } from 'vitest';
import { decodeText, loadCsv, loadJson } from './record-loaders.js';

describe('loadCsv', () => {
  it('makes one passage per row, with quoted delimiters, quotes and line breaks, record numbers and offsets', () => {
    const csv = 'name,notes\r\nAda,"wrote ""notes"", first program"\r\nAlan,"line one\nline two"\n';
    const chunks = loadCsv(csv, { source: 'people.csv' });
    expect(chunks.map((chunk) => chunk.text)).toEqual([
      'name: Ada\nnotes: wrote "notes", first program',
      'name: Alan\nnotes: line one\nline two',
    ]);
    expect(chunks.map((chunk) => chunk.record)).toEqual([1, 2]);
    expect(csv.slice(chunks[1]?.start, chunks[1]?.end)).toBe('Alan,"line one\nline two"');
    expect(chunks[0]?.source).toBe('people.csv');
  });

  it('enforces maxRecords and rejects an unterminated quote', () => {
    const csv = `a\n${'x\n'.repeat(5)}`;
    expect(loadCsv(csv, { maxRecords: 5 })).toHaveLength(5);
    expect(() => loadCsv(csv, { maxRecords: 4 })).toThrow(/maxRecords/);
    expect(() => loadCsv('a\n"open')).toThrow(/quoted field/);
  });
});

describe('loadJson', () => {
  it('turns records into passages of flattened fields', () => {
    const chunks = loadJson(
      JSON.stringify({ items: [{ id: 1, tags: ['a', 'b'], owner: { name: 'Ada' } }, { id: 2 }] }),
      {
        recordsKey: 'items',
      },
    );
    expect(chunks.map((chunk) => chunk.text)).toEqual(['id: 1\ntags.0: a\ntags.1: b\nowner.name: Ada', 'id: 2']);
    expect(() => loadJson('{oops')).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
    expect(() => loadJson('[1,2,3]', { maxRecords: 2 })).toThrow(/maxRecords/);
    expect(() => loadJson('[1]', { maxCharacters: 2 })).toThrow(/maxCharacters/);
  });
});

describe('decodeText', () => {
  it('detects UTF-8, UTF-16 by BOM and falls back to Latin-1', () => {
    const utf8 = new TextEncoder().encode('café ✓');
    expect(decodeText(utf8)).toEqual({ text: 'café ✓', encoding: 'utf-8' });
    const le = Uint8Array.from([0xff, 0xfe, 0x63, 0, 0xe9, 0]);
    expect(decodeText(le)).toEqual({ text: 'cé', encoding: 'utf-16le' });
    const be = Uint8Array.from([0xfe, 0xff, 0, 0x63, 0, 0xe9]);
    expect(decodeText(be)).toEqual({ text: 'cé', encoding: 'utf-16be' });
    const latin1 = Uint8Array.from([0x63, 0x61, 0x66, 0xe9]); // "café" in ISO-8859-1: invalid UTF-8
    expect(decodeText(latin1)).toEqual({ text: 'café', encoding: 'windows-1252' });
    expect(() => decodeText(new Uint8Array(11), { maxBytes: 10 })).toThrow(/maxBytes/);
  });
});
