import { AgenticGenError } from '../../errors/agenticgen-error.js';
import { countTokens } from '../chunking.js';
import type { LoadedChunk } from './loaded-chunk.js';

/** The part of `parse5` (7+) the loader uses. */
export interface Parse5Module {
  parse(html: string, options: { sourceCodeLocationInfo: boolean }): unknown;
}

export interface HtmlLoaderOptions {
  /** Where the document came from (default `html`). */
  source?: string;
  /** Target chunk size in tokens (default 200); a `<pre>` block is only split when it alone exceeds it. */
  chunkSize?: number;
  /** Largest input accepted, in characters (default 10,000,000). */
  maxCharacters?: number;
  /** Inject the `parse5` module (default: `await import('parse5')`, an optional peer dependency). */
  parse5?: Parse5Module;
}

interface HtmlNode {
  nodeName: string;
  tagName?: string;
  value?: string;
  attrs?: Array<{ name: string; value: string }>;
  childNodes?: HtmlNode[];
  content?: HtmlNode;
  sourceCodeLocation?: { startOffset: number; endOffset: number } | null;
}

async function importParse5(): Promise<Parse5Module> {
  const specifier = 'parse5';
  try {
    return (await import(/* @vite-ignore */ specifier)) as Parse5Module;
  } catch (cause) {
    throw new AgenticGenError(
      'dependency-missing',
      '[knowledge] loadHtml needs "parse5"; install it or pass { parse5 } (the imported module)',
      { cause },
    );
  }
}

/** Elements that never hold the main content. */
const skipped = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'nav',
  'header',
  'footer',
  'aside',
  'form',
  'svg',
  'iframe',
  'button',
]);
/** Elements whose text is one block. */
const blockElements = new Set(['p', 'li', 'dt', 'dd', 'blockquote', 'figcaption', 'caption', 'address']);
const headingLevel = (tag: string) => (/^h[1-6]$/.test(tag) ? Number(tag[1]) : 0);

function textOf(node: HtmlNode): string {
  if (node.nodeName === '#text') return node.value ?? '';
  if (node.tagName !== undefined && skipped.has(node.tagName)) return '';
  if (node.tagName === 'br') return '\n';
  return (node.childNodes ?? []).map(textOf).join('');
}

function find(node: HtmlNode, accept: (node: HtmlNode) => boolean): HtmlNode | undefined {
  if (accept(node)) return node;
  for (const child of node.childNodes ?? []) {
    const found = find(child, accept);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Loads HTML with a spec-compliant parser (`parse5`; entities decoded by it): the main content (`<main>`,
 * `<article>` or `role="main"`, else `<body>`) without navigation, headers, footers, asides, forms and scripts;
 * headings (`<h1>`–`<h6>`, across line breaks) give the heading path, paragraphs and list items are blocks,
 * tables become `cell | cell` rows, `<pre>` keeps its text verbatim and is only split when it alone exceeds
 * `chunkSize`. Offsets are those of the elements in the input.
 */
export async function loadHtml(html: string, options: HtmlLoaderOptions = {}): Promise<LoadedChunk[]> {
  if (typeof html !== 'string') throw new AgenticGenError('invalid-argument', '[knowledge] loadHtml needs a string');
  const maxCharacters = options.maxCharacters ?? 10_000_000;
  if (html.length > maxCharacters) {
    throw new AgenticGenError(
      'invalid-argument',
      `[knowledge] HTML input has ${html.length} characters; the limit (maxCharacters) is ${maxCharacters}`,
      { data: { length: html.length, maxCharacters } },
    );
  }
  const chunkSize = options.chunkSize ?? 200;
  if (!Number.isInteger(chunkSize) || chunkSize < 8 || chunkSize > 100_000) {
    throw new AgenticGenError('invalid-argument', '[knowledge] loadHtml chunkSize must be an integer from 8 to 100000');
  }
  const source = options.source ?? 'html';
  const parse5 = options.parse5 ?? (await importParse5());
  const document = parse5.parse(html, { sourceCodeLocationInfo: true }) as HtmlNode;
  const main =
    find(
      document,
      (node) =>
        node.tagName === 'main' ||
        node.attrs?.some((attribute) => attribute.name === 'role' && attribute.value === 'main') === true,
    ) ??
    find(document, (node) => node.tagName === 'article') ??
    find(document, (node) => node.tagName === 'body') ??
    document;

  const chunks: LoadedChunk[] = [];
  const headings: Array<{ level: number; text: string }> = [];
  let pending: Array<{ text: string; start: number; end: number }> = [];
  let pendingTokens = 0;
  const flush = () => {
    if (pending.length === 0) return;
    const heading = headings.map((entry) => entry.text).join(' > ');
    chunks.push({
      text: pending.map((block) => block.text).join('\n\n'),
      index: chunks.length,
      source,
      ...(heading === '' ? {} : { heading }),
      start: pending[0]?.start ?? 0,
      end: pending[pending.length - 1]?.end ?? 0,
    });
    pending = [];
    pendingTokens = 0;
  };
  const push = (text: string, node: HtmlNode, verbatim: boolean) => {
    const clean = verbatim ? text.replace(/^\n+|\s+$/g, '') : text.replace(/\s+/g, ' ').trim();
    if (clean === '') return;
    const start = node.sourceCodeLocation?.startOffset ?? 0;
    const end = node.sourceCodeLocation?.endOffset ?? start;
    const tokens = countTokens(clean);
    if (pendingTokens > 0 && pendingTokens + tokens > chunkSize) flush();
    if (tokens > chunkSize && verbatim) {
      let lines: string[] = [];
      let lineTokens = 0;
      for (const line of clean.split('\n')) {
        const count = countTokens(line);
        if (lineTokens > 0 && lineTokens + count > chunkSize) {
          pending.push({ text: lines.join('\n'), start, end });
          flush();
          lines = [];
          lineTokens = 0;
        }
        lines.push(line);
        lineTokens += count;
      }
      pending.push({ text: lines.join('\n'), start, end });
      flush();
      return;
    }
    pending.push({ text: clean, start, end });
    pendingTokens += tokens;
  };
  const walk = (node: HtmlNode) => {
    const tag = node.tagName;
    if (tag !== undefined && skipped.has(tag)) return;
    const level = tag === undefined ? 0 : headingLevel(tag);
    if (level > 0) {
      flush();
      while (headings.length > 0 && (headings[headings.length - 1]?.level ?? 0) >= level) headings.pop();
      headings.push({ level, text: textOf(node).replace(/\s+/g, ' ').trim() });
      return;
    }
    if (tag === 'pre') return push(textOf(node), node, true);
    if (tag === 'table') {
      const rows: string[] = [];
      const collect = (child: HtmlNode) => {
        if (child.tagName === 'tr') {
          const cells = (child.childNodes ?? []).filter((cell) => cell.tagName === 'td' || cell.tagName === 'th');
          rows.push(cells.map((cell) => textOf(cell).replace(/\s+/g, ' ').trim()).join(' | '));
        } else (child.childNodes ?? []).forEach(collect);
      };
      collect(node);
      return push(rows.join('\n'), node, true);
    }
    if (
      tag !== undefined &&
      blockElements.has(tag) &&
      find(
        node,
        (child) =>
          child !== node &&
          (child.tagName === 'p' ||
            child.tagName === 'ul' ||
            child.tagName === 'ol' ||
            child.tagName === 'pre' ||
            child.tagName === 'table'),
      ) === undefined
    ) {
      return push(textOf(node), node, false);
    }
    // Loose text directly inside a container (a <div> with text) is a block of its own.
    if (node.nodeName === '#text') return push(node.value ?? '', { ...node }, false);
    for (const child of node.childNodes ?? []) walk(child);
  };
  walk(main);
  flush();
  return chunks;
}
