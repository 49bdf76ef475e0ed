// Citations: which passages an answer cites, and the answer as escaped HTML with [n] marks.
//
// A search returns its nearest passages whether or not they answer the question; only the ones the answer
// cites are its sources. An answer that ends with its own "Sources:" list (the offline demo model numbers the
// passages it kept) is read from that list; otherwise [n] is the n-th passage the search returned, as the
// search_knowledge tool tells models to cite.
import { escapeHtml } from './shared.js';

const sourcesBlock = /\n+Sources:\n((?:\[\d+\][^\n]*(?:\n|$))+)\s*$/;
const sourceLine = /^\[(\d+)\]\s+(.*?)(?:\s+\(passage (\d+)\))?\s*$/;

/**
 * Splits an answer into the text to show and its cited sources.
 * @param {string} text the answer as streamed
 * @param {Array<{source: string, chunk: number, text: string, score: number}>} passages the search results
 * @returns {{ body: string, sources: Array<{number: number, source: string, chunk?: number, text?: string, score?: number}> }}
 */
export function resolveCitations(text, passages) {
  const block = sourcesBlock.exec(text);
  const body = block === null ? text : text.slice(0, block.index);
  const cited = new Set([...body.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1])));
  const sources = [];
  if (block !== null) {
    for (const line of (block[1] ?? '').split('\n')) {
      const match = sourceLine.exec(line.trim());
      if (match === null || !cited.has(Number(match[1]))) continue;
      const chunk = match[3] === undefined ? undefined : Number(match[3]) - 1;
      const passage = passages.find(
        (item) => item.source === match[2] && (chunk === undefined || item.chunk === chunk),
      );
      sources.push({ ...passage, number: Number(match[1]), source: match[2], chunk });
    }
  } else {
    for (const number of [...cited].sort((a, b) => a - b)) {
      const passage = passages[number - 1];
      if (passage !== undefined) sources.push({ ...passage, number });
    }
  }
  return { body, sources };
}

/** The sources list under an answer: hidden when the answer cites nothing. */
export function renderSources(list, sources) {
  list.hidden = sources.length === 0;
  list.replaceChildren(
    ...sources.map((passage) => {
      const item = document.createElement('li');
      item.className = 'source';
      const where = passage.chunk === undefined ? '' : ` (passage ${passage.chunk + 1})`;
      const score =
        typeof passage.score === 'number' ? ` <span class="score">score ${passage.score.toFixed(2)}</span>` : '';
      item.innerHTML = `<span class="cite">[${passage.number}]</span> ${escapeHtml(passage.source)}${where}${score}`;
      if (passage.text !== undefined) item.title = passage.text;
      return item;
    }),
  );
}

/** Escaped text with fenced code, block quotes, paragraphs and [n] citations titled with their source. */
export function renderMarkdown(text, sources = []) {
  const byNumber = new Map(sources.map((source) => [source.number, source]));
  const blocks = text.split(/```[a-z]*\n?/i);
  return blocks
    .map((block, index) => {
      if (index % 2 === 1) return `<pre>${escapeHtml(block.replace(/\n$/, ''))}</pre>`;
      return block
        .split(/\n{2,}/)
        .filter((paragraph) => paragraph.trim() !== '')
        .map((paragraph) => {
          const quote = paragraph.startsWith('> ');
          const html = escapeHtml(quote ? paragraph.replace(/^> /gm, '') : paragraph)
            .replace(/\n/g, '<br>')
            .replace(/\[(\d+)\]/g, (match, number) => {
              const source = byNumber.get(Number(number));
              return `<span class="cite" title="${escapeHtml(source ? source.source : '')}">${match}</span>`;
            });
          return quote ? `<blockquote>${html}</blockquote>` : `<p>${html}</p>`;
        })
        .join('');
    })
    .join('');
}
