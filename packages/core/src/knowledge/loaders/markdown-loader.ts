import { AgenticGenError } from '../../errors/agenticgen-error.js';
import { countTokens } from '../chunking.js';
import type { LoadedChunk } from './loaded-chunk.js';

export type { LoadedChunk } from './loaded-chunk.js';

export interface MarkdownLoaderOptions {
  /** Where the document came from (default `markdown`). */
  source?: string;
  /** Target chunk size in tokens (default 200); a fenced code block is only split when it alone exceeds it. */
  chunkSize?: number;
  /** Largest input accepted, in characters (default 10,000,000). */
  maxCharacters?: number;
  /** Inject the `marked` module (default: `await import('marked')`, an optional peer dependency). */
  marked?: MarkedModule;
}

/** The part of `marked` the loader uses: its CommonMark/GFM lexer. */
export interface MarkedModule {
  lexer(markdown: string): ReadonlyArray<MarkedToken>;
}

interface MarkedToken {
  type: string;
  raw: string;
  depth?: number;
  text?: string;
  header?: ReadonlyArray<{ text: string }>;
  rows?: ReadonlyArray<ReadonlyArray<{ text: string }>>;
}

async function importMarked(): Promise<MarkedModule> {
  // A variable specifier keeps bundlers from pulling the optional peer into every bundle.
  const specifier = 'marked';
  try {
    return (await import(/* @vite-ignore */ specifier)) as MarkedModule;
  } catch (cause) {
    throw new AgenticGenError(
      'dependency-missing',
      '[knowledge] loadMarkdown needs "marked"; install it or pass { marked } (the imported module)',
      { cause },
    );
  }
}

interface Block {
  text: string;
  start: number;
  end: number;
  code: boolean;
}

/**
 * Loads Markdown with a CommonMark lexer (`marked`): headings come from the syntax tree (a `#` line inside a
 * code fence is code), blocks are packed into chunks of about `chunkSize` tokens within one section, a fenced
 * code block is never split unless it alone exceeds the size (then on line boundaries), table separator rows
 * are dropped and everything else keeps its source text, so `Map<string, number>` and `a < b and c > d` survive.
 */
export async function loadMarkdown(markdown: string, options: MarkdownLoaderOptions = {}): Promise<LoadedChunk[]> {
  if (typeof markdown !== 'string') {
    throw new AgenticGenError('invalid-argument', '[knowledge] loadMarkdown needs a string');
  }
  const maxCharacters = options.maxCharacters ?? 10_000_000;
  if (markdown.length > maxCharacters) {
    throw new AgenticGenError(
      'invalid-argument',
      `[knowledge] Markdown input has ${markdown.length} characters; the limit (maxCharacters) is ${maxCharacters}`,
      { data: { length: markdown.length, maxCharacters } },
    );
  }
  const chunkSize = options.chunkSize ?? 200;
  if (!Number.isInteger(chunkSize) || chunkSize < 8 || chunkSize > 100_000) {
    throw new AgenticGenError(
      'invalid-argument',
      '[knowledge] loadMarkdown chunkSize must be an integer from 8 to 100000',
    );
  }
  const source = options.source ?? 'markdown';
  const marked = options.marked ?? (await importMarked());
  const chunks: LoadedChunk[] = [];
  const headings: Array<{ depth: number; text: string }> = [];
  let pending: Block[] = [];
  let pendingTokens = 0;
  const headingPath = () => (headings.length === 0 ? undefined : headings.map((entry) => entry.text).join(' > '));
  const flush = () => {
    if (pending.length === 0) return;
    const first = pending[0] as Block;
    const last = pending[pending.length - 1] as Block;
    const heading = headingPath();
    chunks.push({
      text: pending.map((block) => block.text).join('\n\n'),
      index: chunks.length,
      source,
      ...(heading === undefined ? {} : { heading }),
      start: first.start,
      end: last.end,
    });
    pending = [];
    pendingTokens = 0;
  };
  const push = (block: Block) => {
    const tokens = countTokens(block.text);
    if (pendingTokens > 0 && pendingTokens + tokens > chunkSize) flush();
    if (tokens > chunkSize) {
      for (const piece of splitLines(block, chunkSize)) {
        pending.push(piece);
        flush();
      }
      return;
    }
    pending.push(block);
    pendingTokens += tokens;
  };

  let offset = 0;
  for (const token of marked.lexer(markdown)) {
    // Tokens come in source order; `raw` locates each one (link definitions are not tokens, hence the search).
    const found = markdown.indexOf(token.raw, offset);
    const start = found >= 0 ? found : offset;
    const end = start + token.raw.length;
    offset = end;
    if (token.type === 'space' || token.type === 'hr' || token.type === 'def') continue;
    if (token.type === 'heading') {
      flush();
      const depth = token.depth ?? 1;
      while (headings.length > 0 && (headings[headings.length - 1] as { depth: number }).depth >= depth) headings.pop();
      headings.push({ depth, text: (token.text ?? '').replace(/\s+/g, ' ').trim() });
      continue;
    }
    if (token.type === 'table') {
      const row = (cells: ReadonlyArray<{ text: string }>) => cells.map((cell) => cell.text.trim()).join(' | ');
      const text = [row(token.header ?? []), ...(token.rows ?? []).map(row)].join('\n');
      push({ text, start, end, code: false });
      continue;
    }
    const text = token.raw.trim();
    const leading = token.raw.length - token.raw.trimStart().length;
    if (text !== '')
      push({ text, start: start + leading, end: start + leading + text.length, code: token.type === 'code' });
  }
  flush();
  return chunks;
}

/** Splits an oversized block on line boundaries into pieces of at most `chunkSize` tokens where lines allow. */
function splitLines(block: Block, chunkSize: number): Block[] {
  const pieces: Block[] = [];
  let lines: string[] = [];
  let tokens = 0;
  let pieceStart = block.start;
  let cursor = block.start;
  const emit = () => {
    if (lines.length === 0) return;
    const text = lines.join('\n');
    pieces.push({ text, start: pieceStart, end: pieceStart + text.length, code: block.code });
    lines = [];
    tokens = 0;
  };
  for (const line of block.text.split('\n')) {
    const lineTokens = countTokens(line);
    if (tokens > 0 && tokens + lineTokens > chunkSize) {
      emit();
      pieceStart = cursor;
    }
    lines.push(line);
    tokens += lineTokens;
    cursor += line.length + 1;
  }
  emit();
  return pieces;
}
