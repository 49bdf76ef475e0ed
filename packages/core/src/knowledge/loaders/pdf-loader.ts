import { AgenticGenError } from '../../errors/agenticgen-error.js';
import { chunkText } from '../chunking.js';
import type { LoadedChunk } from './loaded-chunk.js';

/** The part of `unpdf` the loader uses. */
export interface UnpdfModule {
  getDocumentProxy(data: Uint8Array): Promise<unknown>;
  extractText(document: unknown, options: { mergePages: false }): Promise<{ totalPages: number; text: string[] }>;
}

export interface PdfLoaderOptions {
  /** Where the document came from (default `pdf`). */
  source?: string;
  /** Target chunk size in tokens (default 200); chunks never span pages. */
  chunkSize?: number;
  /** Largest file accepted, in bytes (default 50,000,000). */
  maxBytes?: number;
  /** Inject the `unpdf` module (default: `await import('unpdf')`, an optional peer dependency; pdf.js inside). */
  unpdf?: UnpdfModule;
}

async function importUnpdf(): Promise<UnpdfModule> {
  const specifier = 'unpdf';
  try {
    return (await import(/* @vite-ignore */ specifier)) as UnpdfModule;
  } catch (cause) {
    throw new AgenticGenError('dependency-missing', '[knowledge] loadPdf needs "unpdf"; install it or pass { unpdf }', {
      cause,
    });
  }
}

/** A line with its digits masked, so "Page 3" and "Page 4" count as one repeated footer. */
const shape = (line: string) => line.trim().replace(/\d+/g, '#');

/**
 * Drops lines that open or close most pages (running headers, footers, page numbers): a first or last line
 * whose shape repeats on at least half the pages, when there are at least 2 pages.
 */
function dropRunningLines(pages: string[][]): string[][] {
  if (pages.length < 2) return pages;
  const counts = new Map<string, number>();
  for (const lines of pages) {
    const edges = new Set(
      [lines[0], lines[lines.length - 1]].filter((line) => line !== undefined).map((line) => shape(line as string)),
    );
    for (const edge of edges) counts.set(edge, (counts.get(edge) ?? 0) + 1);
  }
  const running = new Set(
    [...counts].filter(([line, count]) => line !== '' && count >= Math.max(2, pages.length / 2)).map(([line]) => line),
  );
  return pages.map((lines) => {
    const kept = [...lines];
    if (kept.length > 0 && running.has(shape(kept[0] as string))) kept.shift();
    if (kept.length > 0 && running.has(shape(kept[kept.length - 1] as string))) kept.pop();
    return kept;
  });
}

/**
 * Loads a PDF's text with pdf.js (through `unpdf`), page by page in reading order: running headers and footers
 * are dropped, each page is chunked by sentences, and every chunk carries its 1-based `page` and offsets in the
 * extracted text (pages joined by blank lines). An encrypted PDF (a password is needed) or one without any text
 * layer (scanned, image-only) is an `unsupported` error naming why; a file pdf.js cannot read, `invalid-argument`.
 */
export async function loadPdf(
  bytes: Uint8Array,
  options: PdfLoaderOptions = {},
): Promise<Array<LoadedChunk & { page: number }>> {
  if (!(bytes instanceof Uint8Array))
    throw new AgenticGenError('invalid-argument', '[knowledge] loadPdf needs a Uint8Array');
  const maxBytes = options.maxBytes ?? 50_000_000;
  if (bytes.byteLength > maxBytes) {
    throw new AgenticGenError(
      'invalid-argument',
      `[knowledge] the PDF has ${bytes.byteLength} bytes; the limit (maxBytes) is ${maxBytes}`,
      {
        data: { length: bytes.byteLength, maxBytes },
      },
    );
  }
  const source = options.source ?? 'pdf';
  const unpdf = options.unpdf ?? (await importUnpdf());
  let pageTexts: string[];
  try {
    // pdf.js may take ownership of (detach) the buffer it gets: hand it a copy.
    const document = await unpdf.getDocumentProxy(bytes.slice());
    pageTexts = (await unpdf.extractText(document, { mergePages: false })).text;
  } catch (cause) {
    if ((cause as { name?: string })?.name === 'PasswordException') {
      throw new AgenticGenError(
        'unsupported',
        '[knowledge] the PDF is encrypted and needs a password; decrypt it first',
        { cause },
      );
    }
    throw new AgenticGenError('invalid-argument', '[knowledge] the input is not a readable PDF', { cause });
  }
  const pages = dropRunningLines(
    pageTexts.map((text) =>
      text
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== ''),
    ),
  );
  if (pages.every((lines) => lines.length === 0)) {
    throw new AgenticGenError(
      'unsupported',
      `[knowledge] the PDF's ${pageTexts.length} page(s) have no text layer (scanned or image-only); run OCR first`,
    );
  }
  const chunks: Array<LoadedChunk & { page: number }> = [];
  let offset = 0;
  pages.forEach((lines, index) => {
    const text = lines.join('\n');
    for (const piece of chunkText(text, {
      strategy: 'sentences',
      chunkSize: options.chunkSize ?? 200,
      chunkOverlap: 0,
    })) {
      chunks.push({
        text: piece.text,
        index: chunks.length,
        source,
        page: index + 1,
        start: offset + piece.start,
        end: offset + piece.end,
      });
    }
    offset += text.length + 2;
  });
  return chunks;
}
