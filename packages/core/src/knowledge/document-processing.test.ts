import { describe, expect, it } from 'vitest';
import { chunkText, countTokens, tokenSpans } from './chunking.js';
import { toCleanText } from './clean-text.js';

describe('clean text', () => {
  it('HTML: drops scripts, styles, comments and tags, decodes entities, keeps blocks and headings', () => {
    const html = `<html><head><title>x</title><style>p{color:red}</style></head><body>
      <h1>Install &amp; run</h1><!-- hidden --><p>Use <b>npm</b>&nbsp;install.</p>
      <script>alert("no")</script><ul><li>fast</li><li>safe &#8212; &#x263A;</li></ul></body></html>`;
    expect(toCleanText(html, 'html')).toBe('# Install & run\n\nUse npm install.\n\n- fast\n- safe — ☺');
  });

  it('Markdown: keeps headings, link text and code, drops link targets, emphasis and front matter', () => {
    const markdown = [
      '---',
      'title: Guide',
      '---',
      '# Guide',
      '',
      'Read the **docs** at [our site](https://example.com) and _enjoy_ `code`.',
      '',
      '```ts',
      'const a = 1;',
      '```',
      '> quoted ~~old~~ text',
      '* item',
    ].join('\n');
    expect(toCleanText(markdown, 'markdown')).toBe(
      '# Guide\n\nRead the docs at our site and enjoy code.\n\nconst a = 1;\nquoted old text\n- item',
    );
  });

  it('rejects an unknown format with a clear code', () => {
    expect(() => toCleanText('x', 'pdf' as never)).toThrow(expect.objectContaining({ code: 'invalid-argument' }));
  });
});

describe('chunking', () => {
  it('countTokens counts what tokenSpans finds, in any script, with surrogate pairs and lone halves', () => {
    const texts = [
      '',
      '  \t\n ',
      'snake_case and kebab-case, 3.14 & a<b>c',
      'Grüße 世界 👋 — x\u00a0y\u2003z ١٢٣ é́ 𝒳𝒴',
      'lone \ud800 and \udc00a halves',
      '\ufeffbom \u2028line\u2029para\u3000wide',
    ];
    for (const text of texts) expect(countTokens(text)).toBe(tokenSpans(text).length);
  });

  it('a text that fits in one chunk is its trimmed extent, as sentence packing makes it', () => {
    const text = '  First sentence. Second one!\n\n- a list item\n# Heading\nlast words  \n';
    const [only, ...rest] = chunkText(text, { chunkSize: 100, chunkOverlap: 0 });
    expect(rest).toEqual([]);
    expect(only).toEqual({
      text: text.trim(),
      index: 0,
      start: 2,
      end: 2 + text.trim().length,
      tokens: countTokens(text),
    });
    // One token less than the text holds: packed sentence by sentence, never cut inside a sentence.
    const packed = chunkText(text, { chunkSize: countTokens(text) - 1, chunkOverlap: 0 });
    expect(packed.length).toBeGreaterThan(1);
    expect(packed.map((chunk) => chunk.tokens).reduce((sum, tokens) => sum + tokens, 0)).toBe(countTokens(text));
    expect(chunkText(' \n\t ', { chunkSize: 100 })).toEqual([]);
  });

  const sentences = Array.from({ length: 12 }, (_, index) => `Sentence number ${index} is here.`).join(' ');

  it('by tokens: fixed windows with the requested overlap and exact offsets', () => {
    const text = Array.from({ length: 25 }, (_, index) => `w${index}`).join(' ');
    const chunks = chunkText(text, { strategy: 'tokens', chunkSize: 10, chunkOverlap: 3 });
    expect(chunks.map((chunk) => chunk.tokens)).toEqual([10, 10, 10, 4]);
    expect(chunks[1]?.text.startsWith('w7 ')).toBe(true);
    for (const chunk of chunks) expect(text.slice(chunk.start, chunk.end)).toBe(chunk.text);
  });

  it('by sentences: never cuts a sentence, stays within size, repeats trailing sentences as overlap', () => {
    const chunks = chunkText(sentences, { strategy: 'sentences', chunkSize: 20, chunkOverlap: 7 });
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) {
      expect(chunk.tokens).toBeLessThanOrEqual(20);
      expect(chunk.text).toMatch(/^Sentence number \d+ is here\.(?: Sentence number \d+ is here\.)*$/);
      expect(countTokens(chunk.text)).toBe(chunk.tokens);
    }
    // The last sentence of one chunk opens the next.
    const lastOfFirst = chunks[0]?.text.split('. ').at(-1)?.replace(/\.$/, '');
    expect(chunks[1]?.text.startsWith(lastOfFirst ?? '?')).toBe(true);
    const covered = new Set(chunks.flatMap((chunk) => chunk.text.match(/number \d+/g) ?? []));
    expect(covered.size).toBe(12);
  });

  it('a sentence longer than a chunk is cut into token windows', () => {
    const long = `${Array.from({ length: 50 }, () => 'word').join(' ')}.`;
    const chunks = chunkText(long, { strategy: 'sentences', chunkSize: 20, chunkOverlap: 0 });
    expect(chunks.map((chunk) => chunk.tokens)).toEqual([20, 20, 11]);
  });

  it('by Markdown headings: one section per heading with its heading path, no overlap across sections', () => {
    const text =
      '# Guide\nIntro text.\n## Install\nRun the installer. Then restart.\n## Usage\nCall the API.\n# FAQ\nAsk us.';
    const chunks = chunkText(text, { strategy: 'markdown', chunkSize: 50, chunkOverlap: 5 });
    expect(chunks.map((chunk) => chunk.heading)).toEqual(['Guide', 'Guide > Install', 'Guide > Usage', 'FAQ']);
    expect(chunks[1]?.text).toBe('## Install\nRun the installer. Then restart.');
    expect(chunks.map((chunk) => chunk.index)).toEqual([0, 1, 2, 3]);
  });

  it('rejects overlap >= size', () => {
    expect(() => chunkText('a b c', { chunkSize: 5, chunkOverlap: 5 })).toThrow(/chunkOverlap/);
  });
});
