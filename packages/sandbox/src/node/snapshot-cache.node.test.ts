import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgenticGenError } from '@agenticgen/core';
import { createSandbox, type NodeSandboxOptions, type SnapshotCacheEvent } from '@agenticgen/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Starts a sandbox on the cache directory, runs code in a session, returns where its snapshot came from. */
async function startAndRun(
  options: NodeSandboxOptions,
  code = 'import json\njson.dumps({"sum": 1 + 2})',
): Promise<{ event: SnapshotCacheEvent | undefined; value: unknown }> {
  const sandbox = createSandbox({ pool: { warm: 0 }, ...options });
  let event: SnapshotCacheEvent | undefined;
  sandbox.events.on('snapshot-cache', (payload) => {
    event = payload;
  });
  try {
    const session = await sandbox.createSession();
    const result = await session.run(code);
    expect(result.ok).toBe(true);
    return { event, value: result.result?.repr };
  } finally {
    await sandbox.dispose();
  }
}

describe('persisted memory snapshot (Node)', () => {
  let directory: string;
  /** The stored snapshot and its record (one configuration: one pair of files). */
  function files(): { data: string; record: string } {
    const data = readdirSync(directory).find((name) => name.endsWith('.snapshot'));
    if (data === undefined) throw new Error('no snapshot stored');
    return { data: join(directory, data), record: join(directory, data.replace(/\.snapshot$/, '.json')) };
  }

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'agenticgen-snapshots-'));
  });
  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('makes and stores a snapshot when none exists, then restores it in the next process', async () => {
    const first = await startAndRun({ snapshotCache: { directory } });
    expect(first.event).toMatchObject({ outcome: 'rebuilt', reason: 'missing', stored: true });
    const { data, record } = files();
    const stored = JSON.parse(readFileSync(record, 'utf8'));
    expect(stored.bytes).toBe(statSync(data).size);
    expect(stored.sha256).toMatch(/^[0-9a-f]{64}$/);

    const second = await startAndRun({ snapshotCache: { directory } });
    expect(second.event).toEqual({ outcome: 'restored-from-cache', bytes: stored.bytes });
    expect(second.value).toBe(`'{"sum": 3}'`);
  }, 180_000);

  it('ignores and replaces a snapshot of another Pyodide or harness', async () => {
    const { record } = files();
    const stored = JSON.parse(readFileSync(record, 'utf8'));
    writeFileSync(record, JSON.stringify({ ...stored, harness: 'an-older-harness' }));
    expect((await startAndRun({ snapshotCache: { directory } })).event).toMatchObject({
      outcome: 'rebuilt',
      reason: 'stale',
      stored: true,
    });
    expect(JSON.parse(readFileSync(record, 'utf8')).harness).toBe(stored.harness);

    writeFileSync(record, JSON.stringify({ ...JSON.parse(readFileSync(record, 'utf8')), pyodide: '0.0.1 other' }));
    expect((await startAndRun({ snapshotCache: { directory } })).event).toMatchObject({ reason: 'stale' });
    expect((await startAndRun({ snapshotCache: { directory } })).event?.outcome).toBe('restored-from-cache');
  }, 240_000);

  it('refuses a truncated snapshot and rebuilds it', async () => {
    const { data } = files();
    const size = statSync(data).size;
    truncateSync(data, Math.floor(size / 2));
    const { event } = await startAndRun({ snapshotCache: { directory } });
    expect(event).toMatchObject({ outcome: 'rebuilt', reason: 'truncated', stored: true });
    expect(statSync(data).size).toBe(event?.bytes);
    expect((await startAndRun({ snapshotCache: { directory } })).event?.outcome).toBe('restored-from-cache');
  }, 240_000);

  it('refuses a tampered snapshot (same size, other bytes) and rebuilds it', async () => {
    const { data } = files();
    const bytes = readFileSync(data);
    const offset = Math.floor(bytes.length / 3);
    bytes[offset] = (bytes[offset] as number) ^ 0xff;
    writeFileSync(data, bytes);
    const { event } = await startAndRun({ snapshotCache: { directory } });
    expect(event).toMatchObject({ outcome: 'rebuilt', reason: 'tampered', stored: true });
    expect((await startAndRun({ snapshotCache: { directory } })).event?.outcome).toBe('restored-from-cache');
  }, 240_000);

  it('neither reads nor writes a snapshot above maxBytes', async () => {
    const { event } = await startAndRun({ snapshotCache: { directory, maxBytes: 1024 } });
    expect(event).toMatchObject({ outcome: 'rebuilt', reason: 'too-large', stored: false });
    const empty = mkdtempSync(join(tmpdir(), 'agenticgen-snapshots-'));
    try {
      const small = await startAndRun({ snapshotCache: { directory: empty, maxBytes: 1024 } });
      expect(small.event).toMatchObject({ outcome: 'rebuilt', reason: 'missing', stored: false });
      expect(readdirSync(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 240_000);

  it('stays off with snapshotCache: false and rejects a bad maxBytes or directory', async () => {
    expect((await startAndRun({ snapshotCache: false })).event).toBeUndefined();
    let error: unknown;
    try {
      createSandbox({ snapshotCache: { directory, maxBytes: -1 } });
    } catch (caught) {
      error = caught;
    }
    expect(AgenticGenError.hasCode(error, 'invalid-config')).toBe(true);
    expect(() => createSandbox({ snapshotCache: { directory: '' } })).toThrow(/snapshotCache.directory/);
  }, 120_000);
});
