import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgenticGenError } from '@agenticgen/core';
import { createSandbox, type NodeSandboxOptions, type SnapshotCacheEvent } from '@agenticgen/sandbox';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadSnapshot, openSnapshotWriter, resolveSnapshotCache } from './snapshot-cache.js';

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
  let value: unknown;
  try {
    const session = await sandbox.createSession();
    const result = await session.run(code);
    expect(result.ok).toBe(true);
    value = result.result?.repr;
  } finally {
    // A rebuilt snapshot is stored in the background; dispose() waits for it, and the event says how it went.
    await sandbox.dispose();
  }
  return { event, value };
}

/** The sandbox processes this process started (Linux: from /proc). */
function sandboxProcesses(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      if (Number(/PPid:\s+(\d+)/.exec(status)?.[1]) === process.pid) found.push(Number(entry));
    } catch {
      // Ended meanwhile.
    }
  }
  return found;
}

/**
 * Starts a sandbox on an empty snapshot cache and opens its first session (its rebuilt snapshot is then on its
 * way to this process), sends `signal` to its sandbox process and disposes it. Returns the `snapshot-cache`
 * events, the cache directory's files afterwards and the sandbox processes left.
 */
async function signalDuringSnapshotTransfer(directory: string, signal: NodeJS.Signals) {
  const before = new Set(sandboxProcesses());
  const sandbox = createSandbox({ pool: { warm: 0 }, snapshotCache: { directory } });
  const events: SnapshotCacheEvent[] = [];
  sandbox.events.on('snapshot-cache', (event) => {
    events.push(event);
  });
  await sandbox.createSession();
  const started = sandboxProcesses().filter((pid) => !before.has(pid));
  expect(started).toHaveLength(1);
  process.kill(started[0] as number, signal);
  await sandbox.dispose();
  return { events, files: readdirSync(directory), left: sandboxProcesses().filter((pid) => !before.has(pid)) };
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

  it('stores a rebuilt snapshot in the background, after the first session got its worker; dispose() waits for it', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'agenticgen-snapshots-'));
    try {
      const sandbox = createSandbox({ pool: { warm: 0 }, snapshotCache: { directory: empty } });
      const events: SnapshotCacheEvent[] = [];
      sandbox.events.on('snapshot-cache', (event) => {
        events.push(event);
      });
      const session = await sandbox.createSession();
      // The first session did not wait for the snapshot to cross to this process and reach the disk.
      expect(events).toEqual([]);
      expect(readdirSync(empty).filter((name) => !name.endsWith('.tmp'))).toEqual([]);
      expect((await session.run('1 + 1')).result?.repr).toBe('2');
      await sandbox.dispose();
      expect(events).toEqual([expect.objectContaining({ outcome: 'rebuilt', reason: 'missing', stored: true })]);
      expect(readdirSync(empty).sort()).toEqual(
        expect.arrayContaining([expect.stringMatching(/\.snapshot$/), expect.stringMatching(/\.json$/)]),
      );
      expect(readdirSync(empty).some((name) => name.endsWith('.tmp'))).toBe(false);
      expect((await startAndRun({ snapshotCache: { directory: empty } })).event?.outcome).toBe('restored-from-cache');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 180_000);

  it.skipIf(process.platform !== 'linux')(
    'leaves nothing that would be loaded when the sandbox process dies before its snapshot is stored',
    async () => {
      const empty = mkdtempSync(join(tmpdir(), 'agenticgen-snapshots-'));
      try {
        // The snapshot was asked for when the worker answered; its file cannot be complete yet.
        const { events, files } = await signalDuringSnapshotTransfer(empty, 'SIGKILL');
        expect(events).toEqual([expect.objectContaining({ outcome: 'rebuilt', stored: false })]);
        expect(files).toEqual([]);
        expect((await startAndRun({ snapshotCache: { directory: empty } })).event).toMatchObject({
          outcome: 'rebuilt',
          reason: 'missing',
          stored: true,
        });
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    },
    180_000,
  );

  it.skipIf(process.platform !== 'linux')(
    'gives a snapshot up when the sandbox process stops sending it: dispose() waits at most 30 s, leaves no file',
    async () => {
      const empty = mkdtempSync(join(tmpdir(), 'agenticgen-snapshots-'));
      try {
        // Stopped, not killed: no exit tells the host anything, the transfer just never ends.
        const { events, files, left } = await signalDuringSnapshotTransfer(empty, 'SIGSTOP');
        expect(events).toEqual([expect.objectContaining({ outcome: 'rebuilt', stored: false })]);
        expect(files).toEqual([]);
        expect(left).toEqual([]);
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    },
    180_000,
  );

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

describe('snapshot writer (a snapshot stored while it arrives)', () => {
  const key = { slot: 'slot', pyodide: 'pyodide 1', harness: 'harness 1' };
  const bytes = new Uint8Array(3000).map((_, index) => index % 251);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'agenticgen-snapshot-writer-'));
  });
  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });
  const cache = () =>
    resolveSnapshotCache({ directory, maxBytes: 4096 }) as NonNullable<ReturnType<typeof resolveSnapshotCache>>;

  it('stores a complete snapshot matching its announced sha256, under its final name only at the end', () => {
    const writer = openSnapshotWriter(cache(), key, bytes.length);
    expect(writer?.append(bytes.subarray(0, 1000))).toBe(true);
    expect(loadSnapshot(cache(), key)).toEqual({ reason: 'missing' });
    expect(writer?.append(bytes.subarray(1000))).toBe(true);
    expect(writer?.finish(sha256)).toBe(true);
    const loaded = loadSnapshot(cache(), key);
    expect('bytes' in loaded && Buffer.from(loaded.bytes).equals(bytes)).toBe(true);
  });

  it('leaves no file behind when aborted halfway (a dispose or crash during the transfer)', () => {
    const writer = openSnapshotWriter(cache(), key, bytes.length);
    writer?.append(bytes.subarray(0, 1500));
    writer?.abort();
    expect(readdirSync(directory)).toEqual([]);
    expect(loadSnapshot(cache(), key)).toEqual({ reason: 'missing' });
  });

  it('refuses short, long or altered bytes and bytes above maxBytes', () => {
    const short = openSnapshotWriter(cache(), key, bytes.length);
    short?.append(bytes.subarray(0, 2999));
    expect(short?.finish(sha256)).toBe(false);
    const long = openSnapshotWriter(cache(), key, bytes.length);
    long?.append(bytes);
    expect(long?.append(bytes.subarray(0, 1))).toBe(false);
    expect(long?.finish(sha256)).toBe(false);
    const altered = openSnapshotWriter(cache(), key, bytes.length);
    const changed = new Uint8Array(bytes);
    changed[10] = (changed[10] as number) ^ 1;
    altered?.append(changed);
    expect(altered?.finish(sha256)).toBe(false);
    const unannounced = openSnapshotWriter(cache(), key, bytes.length);
    unannounced?.append(bytes);
    expect(unannounced?.finish(undefined)).toBe(false);
    expect(openSnapshotWriter(cache(), key, 5000)).toBeUndefined();
    expect(readdirSync(directory)).toEqual([]);
    expect(loadSnapshot(cache(), key)).toEqual({ reason: 'missing' });
  });
});
