/**
 * The browser half of the persisted memory snapshot: two Cache Storage entries of the page's origin (the
 * snapshot and its record), with the same checks as Node (host/snapshot-record.ts). The sandbox iframe has an
 * opaque origin and no storage: the page keeps the snapshot and hands verified bytes to the frame.
 */
import { AgenticGenError } from '@agenticgen/core';
import type { SnapshotCacheEvent } from '../host/sandbox-events.js';
import { checkSnapshotBytes, judgeRecord, type SnapshotKey, type SnapshotRecord } from '../host/snapshot-record.js';

/** `snapshotCache` of the browser sandbox. */
export interface BrowserSnapshotCacheOptions {
  /** Cache Storage cache that holds the snapshots (default `agenticgen-sandbox-snapshots`). */
  cacheName?: string;
  /** Largest snapshot read or stored, in bytes (default 512 MiB). */
  maxBytes?: number;
}

export interface ResolvedBrowserSnapshotCache {
  cacheName: string;
  maxBytes: number;
}

export const defaultSnapshotCacheName = 'agenticgen-sandbox-snapshots';

export function resolveBrowserSnapshotCache(
  option: BrowserSnapshotCacheOptions | false | undefined,
): ResolvedBrowserSnapshotCache | undefined {
  if (option === false) return undefined;
  const maxBytes = option?.maxBytes ?? 512 * 1024 * 1024;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new AgenticGenError('invalid-config', '[sandbox] snapshotCache.maxBytes must be a positive integer');
  }
  const cacheName = option?.cacheName ?? defaultSnapshotCacheName;
  if (typeof cacheName !== 'string' || cacheName.length === 0 || cacheName.length > 200) {
    throw new AgenticGenError('invalid-config', '[sandbox] snapshotCache.cacheName must be 1-200 characters');
  }
  return { cacheName, maxBytes };
}

export async function sha256Hex(...parts: (string | Uint8Array)[]): Promise<string> {
  const encoder = new TextEncoder();
  const chunks = parts.map((part) => (typeof part === 'string' ? encoder.encode(part) : part));
  const joined = new Uint8Array(chunks.reduce((total, chunk) => total + chunk.length + (parts.length > 1 ? 1 : 0), 0));
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.length + (parts.length > 1 ? 1 : 0);
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', joined));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The entries' URLs: Cache Storage keys requests; this origin is never fetched. */
export function snapshotEntryUrls(slot: string): { data: string; record: string } {
  return {
    data: `https://agenticgen-snapshots.invalid/${slot}.snapshot`,
    record: `https://agenticgen-snapshots.invalid/${slot}.json`,
  };
}

/** Whether this page can keep snapshots (Cache Storage exists only in secure contexts). */
function available(): boolean {
  return typeof caches !== 'undefined' && typeof crypto?.subtle !== 'undefined';
}

export async function loadBrowserSnapshot(
  cache: ResolvedBrowserSnapshotCache,
  key: SnapshotKey,
): Promise<{ bytes: Uint8Array } | { reason: NonNullable<SnapshotCacheEvent['reason']> } | undefined> {
  if (!available()) return undefined;
  const urls = snapshotEntryUrls(key.slot);
  const store = await caches.open(cache.cacheName);
  const [recordResponse, dataResponse] = await Promise.all([store.match(urls.record), store.match(urls.data)]);
  if (recordResponse === undefined || dataResponse === undefined) return { reason: 'missing' };
  let record: Partial<SnapshotRecord>;
  try {
    record = JSON.parse(await recordResponse.text());
  } catch {
    return { reason: 'tampered' };
  }
  const declared = Number(dataResponse.headers.get('content-length') ?? record.bytes);
  const refused = judgeRecord(record, key, Number.isFinite(declared) ? declared : 0, cache.maxBytes);
  if (refused !== undefined) return { reason: refused };
  const bytes = new Uint8Array(await dataResponse.arrayBuffer());
  const damaged = checkSnapshotBytes(record as SnapshotRecord, bytes.length, await sha256Hex(bytes));
  return damaged === undefined ? { bytes } : { reason: damaged };
}

/** Stores a fresh snapshot; false when it is above `maxBytes` or the storage refused it (quota). */
export async function storeBrowserSnapshot(
  cache: ResolvedBrowserSnapshotCache,
  key: SnapshotKey,
  bytes: Uint8Array,
): Promise<boolean> {
  if (!available() || bytes.length > cache.maxBytes) return false;
  const urls = snapshotEntryUrls(key.slot);
  const record: SnapshotRecord = {
    format: 1,
    pyodide: key.pyodide,
    harness: key.harness,
    bytes: bytes.length,
    sha256: await sha256Hex(bytes),
  };
  try {
    const store = await caches.open(cache.cacheName);
    await store.put(
      urls.data,
      new Response(bytes as BufferSource, { headers: { 'content-length': String(bytes.length) } }),
    );
    await store.put(urls.record, new Response(JSON.stringify(record)));
    return true;
  } catch {
    return false;
  }
}
