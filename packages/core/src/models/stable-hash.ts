import { AgenticGenError } from '../errors/agenticgen-error.js';

/**
 * Canonical JSON: object keys sorted, `undefined` fields dropped, binary data as base64, so two requests that mean
 * the same thing serialise to the same text whatever order their fields were written in.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
    if (typeof value === 'bigint') return `${value}n`;
    return value;
  }
  if (ArrayBuffer.isView(value)) {
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    let binary = '';
    for (let index = 0; index < bytes.length; index += 0x8000) {
      binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
    }
    return { $bytes: btoa(binary), $type: value.constructor.name };
  }
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : canonical(item)));
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined && typeof item !== 'function') result[key] = canonical(item);
  }
  return result;
}

/** SHA-256 of the canonical JSON, hex. Web Crypto: the same digest in Node and browsers. */
export async function stableHash(value: unknown): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle === undefined) {
    throw new AgenticGenError(
      'unsupported',
      '[models] crypto.subtle is unavailable (a browser page served over plain http?); serve the page over https or localhost',
    );
  }
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(canonicalJson(value)));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
