import { cacheError } from './errors.js';

/** Longest key accepted; Redis and file names handle it, and it keeps accidental megabyte keys out. */
export const maxKeyLength = 4096;

export function assertKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) {
    throw cacheError('invalid-argument', `invalid key ${describe(key)}; pass a non-empty string`);
  }
  if (key.length > maxKeyLength) {
    throw cacheError(
      'invalid-argument',
      `key is ${key.length} characters long; keys are limited to ${maxKeyLength} (hash long inputs first)`,
    );
  }
}

/** A TTL in milliseconds: a positive finite number, or `Infinity` for "never expires". */
export function assertTtl(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) {
    throw cacheError(
      'invalid-argument',
      `${name} must be a positive number of milliseconds (or Infinity), got ${describe(value)}`,
    );
  }
}

/** A non-negative duration (0 allowed), e.g. a stale window. */
export function assertDuration(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw cacheError('invalid-argument', `${name} must be a number of milliseconds >= 0, got ${describe(value)}`);
  }
}

export function assertPositiveInteger(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw cacheError('invalid-config', `${name} must be a positive integer, got ${describe(value)}`);
  }
}

export function assertTags(tags: unknown): asserts tags is readonly string[] {
  if (!Array.isArray(tags))
    throw cacheError('invalid-argument', `tags must be an array of strings, got ${describe(tags)}`);
  for (const tag of tags) {
    if (typeof tag !== 'string' || tag.length === 0 || tag.length > 512) {
      throw cacheError(
        'invalid-argument',
        `invalid tag ${describe(tag)}; tags are non-empty strings up to 512 characters`,
      );
    }
  }
}

/** Namespaces become key prefixes `<namespace>:`; a colon inside one would let two namespaces overlap. */
export function assertNamespace(namespace: unknown): asserts namespace is string {
  if (typeof namespace !== 'string' || !/^[A-Za-z0-9_.-]{1,128}$/.test(namespace)) {
    throw cacheError(
      'invalid-config',
      `invalid namespace ${describe(namespace)}; use 1-128 characters from A-Z a-z 0-9 _ . -`,
    );
  }
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) {
    return String(value);
  }
  return `a ${typeof value}`;
}
