import { AgenticGenError } from '../errors/agenticgen-error.js';

/** Input formats the document processor understands. */
export type DocumentFormat = 'text' | 'markdown' | 'html';

const namedEntities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  copy: '©',
  rsquo: '’',
  lsquo: '‘',
  rdquo: '”',
  ldquo: '“',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (match, entity: string) => {
    if (entity[0] === '#') {
      const code =
        entity[1] === 'x' || entity[1] === 'X'
          ? Number.parseInt(entity.slice(2), 16)
          : Number.parseInt(entity.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
    }
    return namedEntities[entity.toLowerCase()] ?? match;
  });
}

const blockTags =
  /<\/?(p|div|section|article|header|footer|main|aside|nav|ul|ol|table|tr|blockquote|pre|h[1-6]|br|hr|dd|dt|dl|figure|figcaption)\b[^>]*>/gi;

/**
 * HTML to text without a DOM (so it runs in workers and Node alike): drops scripts, styles, comments and
 * tags, keeps block boundaries as line breaks and turns headings into Markdown headings so heading-aware
 * chunking still works on HTML sources.
 */
export function htmlToText(html: string): string {
  let text = html
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<(script|style|noscript|template|svg|head)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(
      /<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1\s*>/gi,
      (_, level: string, inner: string) => `\n\n${'#'.repeat(Number(level))} ${inner.replace(/<[^>]*>/g, '')}\n\n`,
    )
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(blockTags, '\n')
    .replace(/<[^>]*>/g, ' ');
  text = decodeEntities(text);
  return normalizeWhitespace(text);
}

/**
 * Markdown to readable text: keeps headings (`#` lines, needed for heading chunking) and code, drops
 * link targets, images, emphasis markers, HTML and front matter.
 */
export function markdownToText(markdown: string): string {
  let text = markdown.replace(/^---\n[\s\S]*?\n---\n/, '');
  const codeBlocks: string[] = [];
  text = text.replace(/^(```|~~~)[^\n]*\n([\s\S]*?)^\1[ \t]*$/gm, (_, _fence: string, code: string) => {
    codeBlocks.push(code.replace(/\n$/, ''));
    return `\uE000${codeBlocks.length - 1}\uE001`;
  });
  text = text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/^[ \t]*\[[^\]]+\]:[ \t]*\S+.*$/gm, '')
    .replace(/^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$/gm, '$1 $2')
    .replace(/^[ \t]*>[ \t]?/gm, '')
    .replace(/^[ \t]*([-*+]|\d+[.)])[ \t]+/gm, '- ')
    .replace(/^[ \t]*([-*_][ \t]*){3,}$/gm, '')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])([*_])([^*_\n]+)\2(?=[^\w*]|$)/g, '$1$3')
    .replace(/~~(.+?)~~/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/<[^>]+>/g, '');
  text = decodeEntities(text).replace(/\uE000(\d+)\uE001/g, (_, index: string) => codeBlocks[Number(index)] ?? '');
  return normalizeWhitespace(text);
}

/** Collapses runs of spaces, trims lines and keeps at most one blank line between paragraphs. */
export function normalizeWhitespace(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\f\v\u00a0]+/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Turns a document of any supported format into clean text. */
export function toCleanText(content: string, format: DocumentFormat = 'text'): string {
  if (typeof content !== 'string') {
    throw new AgenticGenError('invalid-argument', '[knowledge] document content must be a string');
  }
  switch (format) {
    case 'html':
      return htmlToText(content);
    case 'markdown':
      return markdownToText(content);
    case 'text':
      return normalizeWhitespace(content);
    default:
      throw new AgenticGenError(
        'invalid-argument',
        `[knowledge] unknown document format "${String(format)}"; use "text", "markdown" or "html"`,
      );
  }
}
