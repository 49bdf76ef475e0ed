import * as marked from 'marked';
import { describe, expect, it } from 'vitest';
import { loadMarkdown } from './markdown-loader.js';

const guide = [
  '# Guide',
  '',
  'Types like `Map<string, number>` and a < b and c > d stay as written.',
  '',
  '## Install',
  '',
  '```sh',
  '# not a heading: a shell comment',
  'npm install agenticgen',
  '```',
  '',
  '| option | default |',
  '| ------ | ------- |',
  '| topK   | 5       |',
  '',
  '# Appendix',
  '',
  'Last words.',
].join('\n');

describe('loadMarkdown', () => {
  it('takes headings from the syntax tree and keeps code, generics and comparisons verbatim', async () => {
    const chunks = await loadMarkdown(guide, { source: 'guide.md', marked });
    expect(chunks.map((chunk) => chunk.heading)).toEqual(['Guide', 'Guide > Install', 'Appendix']);
    expect(chunks[0]?.text).toContain('Map<string, number>');
    expect(chunks[0]?.text).toContain('a < b and c > d');
    const install = chunks[1]?.text ?? '';
    expect(install).toContain('# not a heading: a shell comment\nnpm install agenticgen');
    expect(install).toContain('option | default\ntopK | 5');
    expect(install).not.toContain('------');
    for (const chunk of chunks) {
      expect(chunk.source).toBe('guide.md');
      // Offsets point at the place: the chunk starts with the source text there.
      expect(guide.slice(chunk.start, chunk.end).startsWith(chunk.text.slice(0, 10))).toBe(true);
    }
  });

  it('never splits a code block that fits, and splits one larger than a chunk on line boundaries', async () => {
    const fitting = `intro words here\n\n\`\`\`ts\n${'const value = 1;\n'.repeat(6)}\`\`\`\n\nafter`;
    const packed = await loadMarkdown(fitting, { chunkSize: 40, marked });
    const withCode = packed.filter((chunk) => chunk.text.includes('const value'));
    expect(withCode).toHaveLength(1);
    expect(withCode[0]?.text).toMatch(/^```ts[\s\S]*```$/m);
    const huge = `\`\`\`ts\n${Array.from({ length: 40 }, (_, line) => `const value${line} = ${line};`).join('\n')}\n\`\`\``;
    const split = await loadMarkdown(huge, { chunkSize: 30, marked });
    expect(split.length).toBeGreaterThan(1);
    for (const chunk of split) {
      for (const line of chunk.text.split('\n')) expect(line).toMatch(/^(```(ts)?|const value\d+ = \d+;)$/);
    }
  });

  it('rejects bad input and options with invalid-argument', async () => {
    await expect(loadMarkdown(42 as unknown as string, { marked })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(loadMarkdown('x', { chunkSize: 2, marked })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(loadMarkdown('a'.repeat(101), { maxCharacters: 100, marked })).rejects.toMatchObject({
      code: 'invalid-argument',
      data: { length: 101, maxCharacters: 100 },
    });
  });
});
