import { AgenticGenError } from '../errors/agenticgen-error.js';
import { type Pacer, splitAtLineBreaks } from './ingest-pacing.js';

/** How text is cut into chunks. */
export type ChunkingStrategy = 'tokens' | 'sentences' | 'markdown';

export interface ChunkingOptions {
  /**
   * `tokens`: fixed windows of tokens; `sentences`: whole sentences packed up to the size; `markdown`: one
   * section per heading (sections larger than the size are split by sentences). Default `sentences`.
   */
  strategy?: ChunkingStrategy;
  /** Target chunk size in tokens (default 200). */
  chunkSize?: number;
  /** Tokens repeated from the end of one chunk at the start of the next (default 30; not across headings). */
  chunkOverlap?: number;
}

/** One chunk of a text. */
export interface TextChunk {
  /** The chunk text (a slice of the input). */
  text: string;
  /** 0-based position among the text's chunks. */
  index: number;
  /** Character offset of the chunk in the input. */
  start: number;
  /** Character offset just past the chunk. */
  end: number;
  /** Heading path of the section (`Guide > Install`), markdown strategy only. */
  heading?: string;
  /** Number of tokens in the chunk. */
  tokens: number;
}

interface Span {
  start: number;
  end: number;
  tokens: number;
}

/**
 * Token spans. A token is a run of letters/digits or a single other non-space character; for English prose
 * that is within ~20% of BPE tokenizer counts, which is all chunk sizing needs, and it needs no vocabulary.
 */
export function tokenSpans(text: string, offset = 0): Span[] {
  const spans: Span[] = [];
  for (const match of text.matchAll(/[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]/gu)) {
    const start = offset + (match.index ?? 0);
    spans.push({ start, end: start + match[0].length, tokens: 1 });
  }
  return spans;
}

// ASCII classes for countTokens: 0 space, 1 letter/digit/underscore, 2 any other character (one token each).
const asciiClass = Uint8Array.from({ length: 128 }, (_, code) => {
  const character = String.fromCharCode(code);
  if (/\s/.test(character)) return 0;
  return /[\p{L}\p{N}_]/u.test(character) ? 1 : 2;
});

/** Counts tokens the way the chunker does (as many as `tokenSpans` finds), without building the spans. */
export function countTokens(text: string): number {
  let count = 0;
  let inWord = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    let kind: number;
    if (code < 128) kind = asciiClass[code] as number;
    else {
      // A whole code point, as the `u` pattern of tokenSpans reads it (a lone surrogate half is one character).
      const next = text.charCodeAt(index + 1);
      const pair = code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
      const character = pair ? text.slice(index, index + 2) : (text[index] as string);
      if (pair) index++;
      kind = /\s/u.test(character) ? 0 : /[\p{L}\p{N}]/u.test(character) ? 1 : 2;
    }
    if (kind === 1) {
      if (!inWord) count++;
      inWord = true;
    } else {
      inWord = false;
      if (kind === 2) count++;
    }
  }
  return count;
}

let segmenterCache: Intl.Segmenter | null | undefined;
/** One sentence segmenter for the process: making one per paragraph cost more than segmenting it. */
function sentenceSegmenter(): Intl.Segmenter | undefined {
  if (segmenterCache === undefined) {
    segmenterCache =
      typeof Intl !== 'undefined' && 'Segmenter' in Intl
        ? new Intl.Segmenter(undefined, { granularity: 'sentence' })
        : null;
  }
  return segmenterCache ?? undefined;
}

function sentenceSpans(text: string, offset: number): Span[] {
  const spans: Span[] = [];
  const push = (start: number, end: number) => {
    const slice = text.slice(start, end);
    const leading = slice.length - slice.trimStart().length;
    const trimmed = slice.trim();
    if (trimmed === '') return;
    const absolute = offset + start + leading;
    spans.push({ start: absolute, end: absolute + trimmed.length, tokens: countTokens(trimmed) });
  };
  // Paragraph and list breaks end a sentence even without punctuation.
  let blockStart = 0;
  for (const block of text.split(/\n(?:\s*\n|(?=\s*[-#]))/)) {
    const index = text.indexOf(block, blockStart);
    blockStart = index + block.length;
    const segmenter = sentenceSegmenter();
    if (segmenter !== undefined) {
      for (const segment of segmenter.segment(block))
        push(index + segment.index, index + segment.index + segment.segment.length);
    } else {
      for (const match of block.matchAll(/[^.!?]+(?:[.!?]+|$)/g))
        push(index + (match.index ?? 0), index + (match.index ?? 0) + match[0].length);
    }
  }
  return spans;
}

function windowsOf(
  text: string,
  spans: Span[],
  size: number,
  overlap: number,
  base: number,
): Array<Omit<TextChunk, 'index'>> {
  const chunks: Array<Omit<TextChunk, 'index'>> = [];
  const step = Math.max(1, size - overlap);
  for (let first = 0; first < spans.length; first += step) {
    const last = Math.min(spans.length, first + size) - 1;
    const start = spans[first]?.start ?? 0;
    const end = spans[last]?.end ?? start;
    chunks.push({ text: text.slice(start - base, end - base), start, end, tokens: last - first + 1 });
    if (last === spans.length - 1) break;
  }
  return chunks;
}

function packSentences(text: string, base: number, size: number, overlap: number): Array<Omit<TextChunk, 'index'>> {
  if (sentenceSegmenter() !== undefined) {
    // A text that fits in one chunk is one chunk, its trimmed extent: the chunk the loop below makes, without
    // segmenting sentences (segments cover the text, and a token never spans two of them, since the
    // segmenter breaks only after terminators and whitespace, which are tokens or gaps of their own).
    const total = countTokens(text);
    if (total <= size) {
      const start = text.length - text.trimStart().length;
      const end = text.trimEnd().length;
      return start >= end
        ? []
        : [{ text: text.slice(start, end), start: base + start, end: base + end, tokens: total }];
    }
  }
  const chunks: Array<Omit<TextChunk, 'index'>> = [];
  let current: Span[] = [];
  let tokens = 0;
  // Sentences added since the last flush; carried overlap alone never makes a chunk.
  let fresh = 0;
  const flush = () => {
    if (fresh === 0) return;
    const start = current[0]?.start ?? base;
    const end = current[current.length - 1]?.end ?? start;
    chunks.push({ text: text.slice(start - base, end - base), start, end, tokens });
    // Carry whole trailing sentences that fit in the overlap into the next chunk.
    const carried: Span[] = [];
    let carriedTokens = 0;
    for (let index = current.length - 1; index > 0; index--) {
      const sentence = current[index] as Span;
      if (carriedTokens + sentence.tokens > overlap) break;
      carried.unshift(sentence);
      carriedTokens += sentence.tokens;
    }
    current = carried;
    tokens = carriedTokens;
    fresh = 0;
  };
  for (const sentence of sentenceSpans(text, base)) {
    if (sentence.tokens > size) {
      // A sentence longer than a chunk is cut into token windows of its own.
      flush();
      current = [];
      tokens = 0;
      const slice = text.slice(sentence.start - base, sentence.end - base);
      chunks.push(...windowsOf(text, tokenSpans(slice, sentence.start), size, overlap, base));
      continue;
    }
    if (tokens + sentence.tokens > size) {
      flush();
      // The carried overlap must leave room for the new sentence.
      while (current.length > 0 && tokens + sentence.tokens > size) tokens -= (current.shift() as Span).tokens;
    }
    current.push(sentence);
    tokens += sentence.tokens;
    fresh++;
  }
  flush();
  return chunks;
}

/** Splits text into chunks with overlap; offsets refer to `text`. */
export function chunkText(text: string, options: ChunkingOptions = {}): TextChunk[] {
  const { strategy, size, overlap } = resolveChunking(options);
  let pieces: Array<Omit<TextChunk, 'index'>>;
  switch (strategy) {
    case 'tokens':
      pieces = windowsOf(text, tokenSpans(text), size, overlap, 0);
      break;
    case 'sentences':
      pieces = packSentences(text, 0, size, overlap);
      break;
    case 'markdown':
      pieces = markdownSections(text).flatMap((section) =>
        packSentences(text.slice(section.start, section.end), section.start, size, overlap).map((piece) =>
          section.heading === '' ? piece : { ...piece, heading: section.heading },
        ),
      );
      break;
  }
  return pieces.map((piece, index) => ({ ...piece, index }));
}

/**
 * `chunkText` for large texts: the text is chunked in slices of about `sliceCharacters` cut at line breaks (so
 * no chunk spans two slices) and `pacer` is told after each slice, so it can yield to the event loop. A text no
 * longer than one slice gives exactly `chunkText`'s chunks.
 */
export async function chunkTextPaced(
  text: string,
  options: ChunkingOptions,
  pacer: Pacer,
  sliceCharacters: number,
): Promise<TextChunk[]> {
  if (text.length <= sliceCharacters) return chunkText(text, options);
  const { strategy, size, overlap } = resolveChunking(options);
  const sections = strategy === 'markdown' ? markdownSections(text) : [{ start: 0, end: text.length, heading: '' }];
  const pieces: Array<Omit<TextChunk, 'index'>> = [];
  for (const section of sections) {
    for (const slice of splitAtLineBreaks(text.slice(section.start, section.end), sliceCharacters)) {
      const start = section.start + slice.start;
      const part = text.slice(start, section.start + slice.end);
      const chunks =
        strategy === 'tokens'
          ? windowsOf(part, tokenSpans(part, start), size, overlap, start)
          : packSentences(part, start, size, overlap);
      for (const chunk of chunks) pieces.push(section.heading === '' ? chunk : { ...chunk, heading: section.heading });
      await pacer.spend(part.length);
    }
  }
  return pieces.map((piece, index) => ({ ...piece, index }));
}

function resolveChunking(options: ChunkingOptions): { strategy: ChunkingStrategy; size: number; overlap: number } {
  const strategy = options.strategy ?? 'sentences';
  const size = options.chunkSize ?? 200;
  const overlap = options.chunkOverlap ?? Math.min(30, Math.floor(size / 4));
  if (!Number.isInteger(size) || size < 1) {
    throw new AgenticGenError('invalid-argument', `[knowledge] chunkSize must be a positive integer, got ${size}`);
  }
  if (!Number.isInteger(overlap) || overlap < 0 || overlap >= size) {
    throw new AgenticGenError(
      'invalid-argument',
      `[knowledge] chunkOverlap must be an integer from 0 to chunkSize - 1 (${size - 1}), got ${overlap}`,
    );
  }
  if (strategy !== 'tokens' && strategy !== 'sentences' && strategy !== 'markdown') {
    throw new AgenticGenError(
      'invalid-argument',
      `[knowledge] unknown chunking strategy "${String(strategy).slice(0, 40)}"; use "tokens", "sentences" or "markdown"`,
    );
  }
  return { strategy, size, overlap };
}

function markdownSections(text: string): Array<{ start: number; end: number; heading: string }> {
  const sections: Array<{ start: number; end: number; heading: string }> = [];
  const path: string[] = [];
  let start = 0;
  let heading = '';
  for (const match of text.matchAll(/^(#{1,6})[ \t]+(.+)$/gm)) {
    const at = match.index ?? 0;
    if (at > start) sections.push({ start, end: at, heading });
    const level = (match[1] ?? '#').length;
    path.length = level - 1;
    path[level - 1] = (match[2] ?? '').trim();
    heading = path.filter((part) => part !== undefined && part !== '').join(' > ');
    start = at;
  }
  if (start < text.length) sections.push({ start, end: text.length, heading });
  return sections;
}
