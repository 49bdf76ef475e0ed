import { AgenticGenError } from '../../errors/agenticgen-error.js';
import { type HtmlLoaderOptions, loadHtml } from './html-loader.js';
import type { LoadedChunk } from './loaded-chunk.js';

/** The part of `mammoth` the loader uses. */
export interface MammothModule {
  /** Node's build reads `buffer`, the browser build `arrayBuffer`; the loader passes both. */
  convertToHtml(input: { arrayBuffer: ArrayBuffer; buffer: Uint8Array }): Promise<{ value: string }>;
}

export interface DocxLoaderOptions extends Omit<HtmlLoaderOptions, 'maxCharacters'> {
  /** Largest file accepted, in bytes (default 50,000,000). */
  maxBytes?: number;
  /** Inject the `mammoth` module (default: `await import('mammoth')`, an optional peer dependency). */
  mammoth?: MammothModule;
}

async function importMammoth(): Promise<MammothModule> {
  const specifier = 'mammoth';
  try {
    const module = (await import(/* @vite-ignore */ specifier)) as MammothModule & { default?: MammothModule };
    return module.default ?? module;
  } catch (cause) {
    throw new AgenticGenError(
      'dependency-missing',
      '[knowledge] loadDocx needs "mammoth"; install it or pass { mammoth } (the imported module)',
      { cause },
    );
  }
}

/**
 * Loads a Word .docx: `mammoth` turns its structure (heading styles, lists, tables, paragraphs) into HTML and
 * `loadHtml` chunks that, so headings give the heading path and tables become rows. Offsets (`start`/`end`) are
 * positions in that HTML, not in the zip. A file that is not a .docx is an `invalid-argument` error.
 */
export async function loadDocx(
  bytes: Uint8Array | ArrayBuffer,
  options: DocxLoaderOptions = {},
): Promise<LoadedChunk[]> {
  if (!(bytes instanceof Uint8Array) && !(bytes instanceof ArrayBuffer)) {
    throw new AgenticGenError('invalid-argument', '[knowledge] loadDocx needs a Uint8Array or ArrayBuffer');
  }
  const maxBytes = options.maxBytes ?? 50_000_000;
  if (bytes.byteLength > maxBytes) {
    throw new AgenticGenError(
      'invalid-argument',
      `[knowledge] the .docx has ${bytes.byteLength} bytes; the limit (maxBytes) is ${maxBytes}`,
      {
        data: { length: bytes.byteLength, maxBytes },
      },
    );
  }
  const mammoth = options.mammoth ?? (await importMammoth());
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const arrayBuffer = view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength) as ArrayBuffer;
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ arrayBuffer, buffer: view })).value;
  } catch (cause) {
    throw new AgenticGenError('invalid-argument', '[knowledge] the input is not a readable .docx (a Word OOXML zip)', {
      cause,
    });
  }
  const { mammoth: _mammoth, maxBytes: _maxBytes, ...htmlOptions } = options;
  return loadHtml(html, { source: 'docx', ...htmlOptions, maxCharacters: Number.POSITIVE_INFINITY });
}
