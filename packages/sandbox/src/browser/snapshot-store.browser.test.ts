import type { AgenticGenError } from '@agenticgen/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { SnapshotCacheEvent } from '../host/sandbox-events.js';
import { createTestSandbox } from '../testing/test-sandbox.js';
import type { BrowserSandboxOptions } from './browser-sandbox.js';

const cacheName = `agenticgen-snapshots-test-${Math.random().toString(36).slice(2)}`;

/** Starts a sandbox on the test's cache, runs code in a session, returns where its snapshot came from. */
async function startAndRun(options: BrowserSandboxOptions = { snapshotCache: { cacheName } }) {
  const sandbox = createTestSandbox({ pool: { warm: 0 }, ...options } as never);
  let event: SnapshotCacheEvent | undefined;
  sandbox.events.on('snapshot-cache', (payload) => {
    event = payload;
  });
  try {
    const session = await sandbox.createSession();
    const result = await session.run('import json\njson.dumps({"sum": 1 + 2})');
    expect(result.ok).toBe(true);
    return { event, repr: result.result?.repr };
  } finally {
    await sandbox.dispose();
  }
}

/** The stored entries (one configuration: one snapshot and one record). */
async function entries(): Promise<{ store: Cache; data: Request; record: Request }> {
  const store = await caches.open(cacheName);
  const keys = await store.keys();
  const data = keys.find((request) => request.url.endsWith('.snapshot'));
  const record = keys.find((request) => request.url.endsWith('.json'));
  if (data === undefined || record === undefined) throw new Error('no snapshot stored');
  return { store, data, record };
}

describe('persisted memory snapshot (Cache Storage)', () => {
  afterAll(async () => {
    await caches.delete(cacheName);
  });

  it('makes and stores a snapshot when none exists, then restores it on the next start', async () => {
    const first = await startAndRun();
    expect(first.event).toMatchObject({ outcome: 'rebuilt', reason: 'missing', stored: true });
    const { store, record } = await entries();
    const stored = JSON.parse(await ((await store.match(record)) as Response).text());
    expect(stored.bytes).toBe(first.event?.bytes);
    const second = await startAndRun();
    expect(second.event).toEqual({ outcome: 'restored-from-cache', bytes: stored.bytes });
    expect(second.repr).toBe(`'{"sum": 3}'`);
  }, 240_000);

  it('ignores and replaces a snapshot of another Pyodide or harness', async () => {
    const { store, record } = await entries();
    const stored = JSON.parse(await ((await store.match(record)) as Response).text());
    await store.put(record, new Response(JSON.stringify({ ...stored, harness: 'an-older-harness' })));
    expect((await startAndRun()).event).toMatchObject({ outcome: 'rebuilt', reason: 'stale', stored: true });
    const replaced = JSON.parse(await ((await store.match(record)) as Response).text());
    expect(replaced.harness).toBe(stored.harness);
    await store.put(record, new Response(JSON.stringify({ ...replaced, pyodide: '0.0.1 other' })));
    expect((await startAndRun()).event).toMatchObject({ reason: 'stale' });
  }, 240_000);

  it('refuses a truncated snapshot and rebuilds it', async () => {
    const { store, data } = await entries();
    const bytes = new Uint8Array(await ((await store.match(data)) as Response).arrayBuffer());
    await store.put(data, new Response(bytes.slice(0, bytes.length >> 1)));
    expect((await startAndRun()).event).toMatchObject({ outcome: 'rebuilt', reason: 'truncated', stored: true });
    expect((await startAndRun()).event?.outcome).toBe('restored-from-cache');
  }, 240_000);

  it('refuses a tampered snapshot (same size, other bytes) and rebuilds it', async () => {
    const { store, data } = await entries();
    const bytes = new Uint8Array(await ((await store.match(data)) as Response).arrayBuffer());
    const offset = Math.floor(bytes.length / 3);
    bytes[offset] = (bytes[offset] as number) ^ 0xff;
    await store.put(data, new Response(bytes));
    expect((await startAndRun()).event).toMatchObject({ outcome: 'rebuilt', reason: 'tampered', stored: true });
    expect((await startAndRun()).event?.outcome).toBe('restored-from-cache');
  }, 240_000);

  it('neither reads nor stores a snapshot above maxBytes, and rejects a bad maxBytes', async () => {
    expect((await startAndRun({ snapshotCache: { cacheName, maxBytes: 1024 } })).event).toMatchObject({
      outcome: 'rebuilt',
      reason: 'too-large',
      stored: false,
    });
    expect(() => createTestSandbox({ snapshotCache: { maxBytes: 0 } } as never)).toThrow(
      expect.objectContaining({ code: 'invalid-config' }) as AgenticGenError,
    );
  }, 240_000);
});
