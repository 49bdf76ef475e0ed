import { AgenticGenError, type CodeSession } from '@agenticgen/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestSandbox } from '../testing/test-sandbox.js';
import type { PythonSandbox } from './sandbox-core.js';

// Output is flushed to the host at most every 20 ms, on a write: the second print, 50 ms later, sends both, so
// the host sees output once the run is surely in flight, then the loop keeps it busy.
const busyAfterOutput = [
  'import time',
  'print("started")',
  'begin = time.time()',
  'while time.time() - begin < 0.05: pass',
  'print("running")',
  'while True: pass',
].join('\n');

describe('sessions', () => {
  let sandbox: PythonSandbox;
  let session: CodeSession;

  beforeAll(async () => {
    sandbox = createTestSandbox({ limits: { timeoutMs: 5000, graceMs: 300 } });
    session = await sandbox.createSession();
  }, 120_000);

  afterAll(async () => {
    await sandbox?.dispose();
  });

  it('returns stdout, the last value and its rich representations; state persists', async () => {
    await session.run('class Table:\n    def _repr_html_(self):\n        return "<table></table>"\ncounter = 1');
    const result = await session.run('counter += 1\nprint("counter is", counter)\nTable()');
    expect(result.ok).toBe(true);
    expect(result.stdout).toBe('counter is 2\n');
    expect(result.result?.mime['text/html']).toBe('<table></table>');
    expect(result.result?.repr).toMatch(/Table object/);
    expect(result.truncated).toBe(false);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('reports exceptions with a traceback of the user code only', async () => {
    const result = await session.run('def divide(a, b):\n    return a / b\ndivide(1, 0)');
    expect(result.ok).toBe(false);
    expect(result.error?.type).toBe('ZeroDivisionError');
    expect(result.error?.message).toBe('division by zero');
    expect(result.error?.traceback).toMatch(/line 2, in divide\n\s+return a \/ b/);
    expect(result.error?.traceback).not.toMatch(/_agenticgen|harness/);
  });

  it('streams stdout and stderr while running', async () => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const result = await session.run('import sys\nprint("out")\nprint("err", file=sys.stderr)', {
      onStdout: (text) => stdout.push(text),
      onStderr: (text) => stderr.push(text),
    });
    expect(stdout.join('')).toBe('out\n');
    expect(stderr.join('')).toBe('err\n');
    expect(result.stderr).toBe('err\n');
  });

  it('moves files in and out as bytes and lists them', async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 255]);
    await session.writeFile('data/raw.bin', bytes);
    await session.writeFile('/home/pyodide/notes.txt', 'héllo');
    const made = await session.run(
      'open("made.csv", "w").write("a,b\\n1,2\\n")\nlen(open("data/raw.bin", "rb").read())',
    );
    expect(made.result?.repr).toBe('5');
    expect(await session.readFile('/home/pyodide/data/raw.bin')).toEqual(bytes);
    expect(new TextDecoder().decode(await session.readFile('notes.txt'))).toBe('héllo');
    const files = await session.listFiles();
    expect(files).toEqual(
      expect.arrayContaining([
        { path: '/home/pyodide/data/raw.bin', size: 5 },
        { path: '/home/pyodide/made.csv', size: 8 },
        { path: '/home/pyodide/notes.txt', size: 6 },
      ]),
    );
    const missing = await session.readFile('nope.txt').catch((error: unknown) => error);
    expect(AgenticGenError.hasCode(missing, 'not-found')).toBe(true);
  });

  it('cancels a run through its signal and keeps working', async () => {
    const controller = new AbortController();
    let started = false;
    const running = session.run(busyAfterOutput, {
      signal: controller.signal,
      onStdout: () => {
        started = true;
      },
    });
    await vi.waitFor(() => expect(started).toBe(true), { timeout: 30_000 }); // the run is in flight
    controller.abort();
    const error = await running.catch((caught: unknown) => caught);
    expect(AgenticGenError.hasCode(error, 'aborted')).toBe(true);
    expect((await session.run('1 + 1')).result?.repr).toBe('2');
  });

  it('rejects bad input with clear codes', async () => {
    const error = await session.run(42 as unknown as string).catch((caught: unknown) => caught);
    expect(AgenticGenError.hasCode(error, 'invalid-argument')).toBe(true);
    expect(() => createTestSandbox({ limits: { timeoutMs: -1 } })).toThrow(/timeoutMs/);
    expect(() => createTestSandbox({ pool: { min: 5, max: 2 } })).toThrow(/pool/);
  });

  it('dispose ends a run in flight at once instead of at its time limit', async () => {
    const busy = await sandbox.createSession();
    let started = false;
    const running = busy.run(busyAfterOutput, {
      timeoutMs: 120_000,
      onStdout: () => {
        started = true;
      },
    });
    await vi.waitFor(() => expect(started).toBe(true), { timeout: 30_000 }); // the run is in flight
    await busy.dispose();
    const error = await running.catch((caught: unknown) => caught);
    expect(AgenticGenError.hasCode(error, 'disposed')).toBe(true);
  });

  it('reset drops all state; dispose ends the session', async () => {
    const fresh = await sandbox.createSession();
    await fresh.run('left_over = 1');
    await fresh.writeFile('keep.txt', 'x');
    await fresh.reset();
    expect((await fresh.run('left_over')).error?.type).toBe('NameError');
    expect((await fresh.listFiles()).map((file) => file.path)).not.toContain('/home/pyodide/keep.txt');
    await fresh.dispose();
    const error = await fresh.run('1').catch((caught: unknown) => caught);
    expect(AgenticGenError.hasCode(error, 'disposed')).toBe(true);
  });
});

describe('pool', () => {
  it('keeps at most max workers: a session waits until another is disposed', async () => {
    const sandbox = createTestSandbox({ pool: { warm: 0, max: 1 } });
    try {
      const first = await sandbox.createSession();
      let secondReady = false;
      const second = sandbox.createSession().then((session) => {
        secondReady = true;
        return session;
      });
      expect((await first.run('2 + 2')).result?.repr).toBe('4');
      expect(secondReady).toBe(false);
      expect(sandbox.stats().workers).toBe(1);
      await first.dispose();
      const session = await second;
      expect((await session.run('first_state = 1\nfirst_state')).result?.repr).toBe('1');
    } finally {
      await sandbox.dispose();
    }
  }, 120_000);

  it('prewarms workers and stops idle ones down to min', async () => {
    const sandbox = createTestSandbox({ pool: { warm: 2, min: 0, max: 4, idleTimeoutMs: 300 } });
    try {
      await sandbox.warmUp();
      await vi.waitFor(() => expect(sandbox.stats().workers).toBe(2), { timeout: 60_000, interval: 50 });
      const session = await sandbox.createSession();
      expect((await session.run('"warm"')).result?.repr).toBe("'warm'");
      await session.dispose();
      await vi.waitFor(() => expect(sandbox.stats().workers).toBe(0), { timeout: 60_000, interval: 50 });
    } finally {
      await sandbox.dispose();
    }
  }, 120_000);

  it('recycles a worker whose heap grew past recycleAboveMb', async () => {
    const sandbox = createTestSandbox({ limits: { memoryLimitMb: 512, recycleAboveMb: 200 } });
    try {
      const session = await sandbox.createSession();
      const big = await session.run('blob = bytearray(300 * 1024**2)\nlen(blob)');
      expect(big.ok).toBe(true);
      expect(big.stderr).toMatch(/restarted and its state is lost/);
      const after = await session.run('blob');
      expect(after.error?.type).toBe('NameError');
      expect(after.stderr).toMatch(/session was restarted \(memory limit\)/);
    } finally {
      await sandbox.dispose();
    }
  }, 120_000);
});
