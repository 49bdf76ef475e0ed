import { AgenticGenError } from '../../errors/agenticgen-error.js';
import type { LoadedChunk } from './loaded-chunk.js';

export interface RecordLoaderOptions {
  /** Where the document came from (default `csv` / `json`). */
  source?: string;
  /** Largest input accepted, in characters (default 10,000,000). */
  maxCharacters?: number;
  /** Most records turned into passages (default 100,000); more is an `invalid-argument` error. */
  maxRecords?: number;
}

export interface CsvLoaderOptions extends RecordLoaderOptions {
  /** Field delimiter (default `,`). */
  delimiter?: string;
}

function limits(input: unknown, options: RecordLoaderOptions, what: string) {
  if (typeof input !== 'string') {
    throw new AgenticGenError('invalid-argument', `[knowledge] ${what} needs a string`);
  }
  const maxCharacters = options.maxCharacters ?? 10_000_000;
  if (input.length > maxCharacters) {
    throw new AgenticGenError(
      'invalid-argument',
      `[knowledge] ${what} input has ${input.length} characters; the limit (maxCharacters) is ${maxCharacters}`,
      { data: { length: input.length, maxCharacters } },
    );
  }
  return { maxRecords: options.maxRecords ?? 100_000 };
}

function tooMany(what: string, maxRecords: number): never {
  throw new AgenticGenError(
    'invalid-argument',
    `[knowledge] ${what} has more than ${maxRecords} records (maxRecords)`,
    {
      data: { maxRecords },
    },
  );
}

/**
 * CSV (RFC 4180: quoted fields with `""` escapes, delimiters and line breaks inside quotes) with a header row:
 * every data row becomes one passage of `column: value` lines, with its record number and character offsets.
 */
export function loadCsv(csv: string, options: CsvLoaderOptions = {}): LoadedChunk[] {
  const { maxRecords } = limits(csv, options, 'loadCsv');
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new AgenticGenError(
      'invalid-argument',
      '[knowledge] loadCsv delimiter must be one character other than a quote or line break',
    );
  }
  const source = options.source ?? 'csv';
  const rows: Array<{ fields: string[]; start: number; end: number }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let rowStart = 0;
  let position = 0;
  const endRow = (end: number) => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') rows.push({ fields, start: rowStart, end });
    if (rows.length > maxRecords + 1) tooMany('loadCsv input', maxRecords);
    fields = [];
    field = '';
  };
  for (; position < csv.length; position++) {
    const character = csv[position] as string;
    if (quoted) {
      if (character === '"' && csv[position + 1] === '"') {
        field += '"';
        position++;
      } else if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"' && field === '') quoted = true;
    else if (character === delimiter) {
      fields.push(field);
      field = '';
    } else if (character === '\n' || character === '\r') {
      endRow(position);
      if (character === '\r' && csv[position + 1] === '\n') position++;
      rowStart = position + 1;
    } else field += character;
  }
  if (quoted) {
    throw new AgenticGenError('invalid-argument', '[knowledge] loadCsv input ends inside a quoted field');
  }
  if (field !== '' || fields.length > 0) endRow(csv.length);
  const [header, ...records] = rows;
  if (header === undefined) return [];
  const columns = header.fields.map((name, index) => name.trim() || `column ${index + 1}`);
  return records.map((row, index) => ({
    text: row.fields.map((value, column) => `${columns[column] ?? `column ${column + 1}`}: ${value.trim()}`).join('\n'),
    index,
    source,
    record: index + 1,
    start: row.start,
    end: row.end,
  }));
}

/**
 * JSON: an array of records (or an object whose `recordsKey` holds one) becomes one passage per record, its
 * fields as `path: value` lines (nested objects flattened with dots). A single object is one passage.
 */
export function loadJson(json: string, options: RecordLoaderOptions & { recordsKey?: string } = {}): LoadedChunk[] {
  const { maxRecords } = limits(json, options, 'loadJson');
  const source = options.source ?? 'json';
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (cause) {
    throw new AgenticGenError('invalid-argument', '[knowledge] loadJson input is not valid JSON', { cause });
  }
  if (options.recordsKey !== undefined && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    value = (value as Record<string, unknown>)[options.recordsKey];
  }
  const records = Array.isArray(value) ? value : [value];
  if (records.length > maxRecords) tooMany('loadJson input', maxRecords);
  return records.map((record, index) => ({
    text: flatten(record, '').join('\n'),
    index,
    source,
    record: index + 1,
    // Records of one parsed value have no reliable source span; the whole input is the place.
    start: 0,
    end: json.length,
  }));
}

function flatten(value: unknown, path: string): string[] {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((item, index) => [String(index), item] as const)
      : Object.entries(value);
    return entries.flatMap(([key, item]) => flatten(item, path === '' ? key : `${path}.${key}`));
  }
  return [path === '' ? String(value) : `${path}: ${String(value)}`];
}

/**
 * Decodes text bytes: a UTF-8 or UTF-16 (LE/BE) byte-order mark wins; otherwise valid UTF-8 is UTF-8 and anything
 * else is read as Latin-1 (windows-1252), which never fails. Returns the text and the encoding used.
 */
export function decodeText(bytes: Uint8Array, options: { maxBytes?: number } = {}): { text: string; encoding: string } {
  if (!(bytes instanceof Uint8Array)) {
    throw new AgenticGenError('invalid-argument', '[knowledge] decodeText needs a Uint8Array');
  }
  const maxBytes = options.maxBytes ?? 50_000_000;
  if (bytes.length > maxBytes) {
    throw new AgenticGenError(
      'invalid-argument',
      `[knowledge] text has ${bytes.length} bytes; the limit (maxBytes) is ${maxBytes}`,
      {
        data: { length: bytes.length, maxBytes },
      },
    );
  }
  const decode = (encoding: string, fatal = false) => new TextDecoder(encoding, { fatal }).decode(bytes);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: decode('utf-8'), encoding: 'utf-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: decode('utf-16le'), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: decode('utf-16be'), encoding: 'utf-16be' };
  try {
    return { text: decode('utf-8', true), encoding: 'utf-8' };
  } catch {
    return { text: decode('windows-1252'), encoding: 'windows-1252' };
  }
}
