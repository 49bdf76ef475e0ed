import * as parse5 from 'parse5';
import { describe, expect, it } from 'vitest';
import { loadHtml } from './html-loader.js';

const page = `<!doctype html><html><head><title>T</title><style>p{}</style></head><body>
<nav><a href="/">Home</a> <a href="/docs">Docs</a></nav>
<main>
  <h1>Caf&eacute;
  guide</h1>
  <p>Use <code>Map&lt;string, number&gt;</code> when a &lt; b &amp;&amp; c &gt; d.</p>
  <h2>Install</h2>
  <pre><code># not a heading
npm install agenticgen</code></pre>
  <table><tr><th>option</th><th>default</th></tr><tr><td>topK</td><td>5</td></tr></table>
  <ul><li>first item</li><li>second item</li></ul>
</main>
<footer>Copyright</footer><script>alert(1)</script>
</body></html>`;

describe('loadHtml', () => {
  it('keeps the main content with decoded entities, headings across lines, code, tables and lists', async () => {
    const chunks = await loadHtml(page, { source: 'guide.html', parse5 });
    expect(chunks.map((chunk) => chunk.heading)).toEqual(['Café guide', 'Café guide > Install']);
    const all = chunks.map((chunk) => chunk.text).join('\n');
    expect(chunks[0]?.text).toBe('Use Map<string, number> when a < b && c > d.');
    expect(chunks[1]?.text).toBe(
      '# not a heading\nnpm install agenticgen\n\noption | default\ntopK | 5\n\nfirst item\n\nsecond item',
    );
    for (const unwanted of ['Home', 'Docs', 'Copyright', 'alert', 'p{}']) expect(all).not.toContain(unwanted);
    expect(page.slice(chunks[0]?.start, chunks[0]?.end)).toMatch(/^<p>Use <code>/);
    expect(chunks[0]?.source).toBe('guide.html');
  });

  it('splits only an oversized <pre> on lines, and enforces limits', async () => {
    const lines = Array.from({ length: 30 }, (_, index) => `line ${index} of code`).join('\n');
    const chunks = await loadHtml(`<body><pre>${lines}</pre></body>`, { chunkSize: 20, parse5 });
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.flatMap((chunk) => chunk.text.split('\n'))).toEqual(lines.split('\n'));
    await expect(loadHtml('<p>x</p>', { maxCharacters: 3, parse5 })).rejects.toMatchObject({
      code: 'invalid-argument',
    });
    await expect(loadHtml('<p>x</p>', { chunkSize: 1, parse5 })).rejects.toMatchObject({ code: 'invalid-argument' });
  });
});
