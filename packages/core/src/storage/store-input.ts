/**
 * Input checks and limits shared by every store driver (the memory store here, PGlite and PostgreSQL in
 * `@agenticgen/store`), so each driver rejects the same input with the same code and message.
 */
import type { StoreMetadata } from '../contracts/thread-store.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';

/** Limits every driver enforces. */
export const storeLimits = {
  /** Longest id (thread, message, run, node, suspension, ledger key), in characters. */
  maxIdLength: 256,
  /** Most keys of one metadata object. */
  maxMetadataKeys: 64,
  /** Longest metadata string value, in characters. */
  maxMetadataValueLength: 1024,
  /** Most messages of one `appendMessages` call. */
  maxBatch: 1000,
  /** Largest page. */
  maxPageSize: 1000,
  /** Largest JSON document (one message, a checkpoint state, a node result, a payload), in characters. */
  maxJsonLength: 8 * 1024 * 1024,
  /** Longest thread summary, in characters. */
  maxSummaryLength: 64 * 1024,
} as const;

const preview = (value: unknown) => String(value).slice(0, 60);

/** Throws `invalid-argument` unless `value` is a non-empty string of at most `maxIdLength` characters. */
export function checkStoreId(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > storeLimits.maxIdLength) {
    throw new AgenticGenError(
      'invalid-argument',
      `[store] ${what} must be a string of 1 to ${storeLimits.maxIdLength} characters, got ${typeof value === 'string' ? `${value.length} characters` : typeof value}`,
    );
  }
  return value;
}

/** Throws `invalid-argument` unless `metadata` is a flat object of at most the allowed keys and lengths. */
export function checkMetadata(metadata: unknown, what: string): StoreMetadata {
  if (metadata === undefined) return {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new AgenticGenError('invalid-argument', `[store] ${what} must be a flat object`);
  }
  const entries = Object.entries(metadata);
  if (entries.length > storeLimits.maxMetadataKeys) {
    throw new AgenticGenError(
      'invalid-argument',
      `[store] ${what} has ${entries.length} keys; at most ${storeLimits.maxMetadataKeys} are allowed`,
    );
  }
  for (const [key, value] of entries) {
    const valid =
      value === null ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (typeof value === 'string' && value.length <= storeLimits.maxMetadataValueLength);
    if (!valid || key.length > storeLimits.maxIdLength) {
      throw new AgenticGenError(
        'invalid-argument',
        `[store] ${what} key "${preview(key)}" must hold a string of at most ${storeLimits.maxMetadataValueLength} characters, a finite number, a boolean or null`,
      );
    }
  }
  return metadata as StoreMetadata;
}

/** Serialises `value` to JSON, refusing what does not round-trip or exceeds `maxJsonLength`. */
export function toStoreJson(value: unknown, what: string): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new AgenticGenError('invalid-argument', `[store] ${what} is not JSON-serialisable`, { cause: error });
  }
  if (json === undefined) throw new AgenticGenError('invalid-argument', `[store] ${what} is not JSON-serialisable`);
  if (json.length > storeLimits.maxJsonLength) {
    throw new AgenticGenError(
      'invalid-argument',
      `[store] ${what} is ${json.length} characters of JSON; at most ${storeLimits.maxJsonLength} are allowed`,
    );
  }
  return json;
}

/** The page size asked for, checked (default 50). */
export function checkPageSize(limit: unknown, fallback = 50): number {
  if (limit === undefined) return fallback;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > storeLimits.maxPageSize) {
    throw new AgenticGenError(
      'invalid-argument',
      `[store] limit must be an integer from 1 to ${storeLimits.maxPageSize}, got ${preview(limit)}`,
    );
  }
  return limit;
}

/** A message cursor is the `seq` where the previous page stopped. */
export function decodeSeqCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  if (!/^\d{1,15}$/.test(cursor)) {
    throw new AgenticGenError('invalid-argument', `[store] cursor "${preview(cursor)}" is not a message cursor`);
  }
  return Number(cursor);
}

/** A thread cursor is the `updatedAt` and id of the last thread of the previous page. */
export function encodeThreadCursor(updatedAt: number, id: string): string {
  return `${updatedAt}:${id}`;
}

/** Reads a cursor made by `encodeThreadCursor`. */
export function decodeThreadCursor(cursor: string | undefined): { updatedAt: number; id: string } | undefined {
  if (cursor === undefined) return undefined;
  const match = /^(\d{1,15}):(.+)$/s.exec(cursor);
  if (match === null) {
    throw new AgenticGenError('invalid-argument', `[store] cursor "${preview(cursor)}" is not a thread cursor`);
  }
  return { updatedAt: Number(match[1]), id: match[2] as string };
}

/** True when `metadata` has every pair of `filter`. */
export function metadataMatches(metadata: StoreMetadata, filter: StoreMetadata | undefined): boolean {
  if (filter === undefined) return true;
  return Object.entries(filter).every(([key, value]) => Object.hasOwn(metadata, key) && metadata[key] === value);
}

/** A random id (UUID v4). */
export function newStoreId(): string {
  return crypto.randomUUID();
}

/** The ledger key of a tool call: the idempotency key handed to the tool. */
export function idempotencyKeyOf(runId: string, toolCallId: string): string {
  return `${runId}:${toolCallId}`;
}

/** Throws `invalid-argument` unless `message` looks like a chat message (role and content). */
export function checkChatMessage(message: unknown, index: number): void {
  const valid =
    typeof message === 'object' &&
    message !== null &&
    ['system', 'user', 'assistant', 'tool'].includes((message as { role?: unknown }).role as string) &&
    (typeof (message as { content?: unknown }).content === 'string' ||
      Array.isArray((message as { content?: unknown }).content));
  if (!valid) {
    throw new AgenticGenError(
      'invalid-argument',
      `[store] message ${index} is not a chat message; use { role: 'user' | 'assistant' | 'system' | 'tool', content }`,
    );
  }
}

/** Throws `invalid-argument` unless `summary` is a text within `maxSummaryLength` and a position ≥ 1. */
export function checkThreadSummary(summary: { text: string; throughSeq: number }): {
  text: string;
  throughSeq: number;
} {
  if (typeof summary?.text !== 'string' || summary.text.length > storeLimits.maxSummaryLength) {
    throw new AgenticGenError(
      'invalid-argument',
      `[store] a thread summary is a string of at most ${storeLimits.maxSummaryLength} characters`,
    );
  }
  if (!(Number.isSafeInteger(summary.throughSeq) && summary.throughSeq >= 1)) {
    throw new AgenticGenError('invalid-argument', '[store] a thread summary throughSeq is an integer ≥ 1');
  }
  return { text: summary.text, throughSeq: summary.throughSeq };
}

/** A working-memory scope checked: its kind and id. */
export function checkScope(scope: unknown): { kind: 'resource' | 'thread'; id: string } {
  const kind = (scope as { kind?: unknown } | null | undefined)?.kind;
  if (kind !== 'resource' && kind !== 'thread') {
    throw new AgenticGenError('invalid-argument', "[store] a working-memory scope kind is 'resource' or 'thread'");
  }
  return { kind, id: checkStoreId((scope as { id?: unknown }).id, 'working-memory scope id') };
}

/** Throws `invalid-argument` unless a working-memory value is a JSON object; returns its JSON. */
export function workingMemoryJson(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AgenticGenError('invalid-argument', '[store] working memory must be a JSON object');
  }
  return toStoreJson(value, 'working memory');
}

/** A message of an `appendMessages` batch, checked: its id, the JSON of its chat message, its metadata. */
export interface PreparedMessage {
  id: string;
  messageJson: string;
  metadata: StoreMetadata;
}

/** Checks a whole `appendMessages` batch before anything is written, so an invalid message stores none of it. */
export function prepareMessages(
  batch: readonly { message: unknown; id?: string | undefined; metadata?: unknown }[],
): PreparedMessage[] {
  if (batch.length > storeLimits.maxBatch) {
    throw new AgenticGenError(
      'invalid-argument',
      `[store] ${batch.length} messages in one append; at most ${storeLimits.maxBatch} are allowed`,
    );
  }
  return batch.map((input, index) => {
    checkChatMessage(input.message, index);
    return {
      id: input.id === undefined ? newStoreId() : checkStoreId(input.id, 'message id'),
      messageJson: toStoreJson(input.message, 'message'),
      metadata: { ...checkMetadata(input.metadata, 'message metadata') },
    };
  });
}

/** A title or suspension reason as stored: text cut to the longest metadata value. */
export function storeText(value: unknown): string {
  return String(value).slice(0, storeLimits.maxMetadataValueLength);
}
