/**
 * Browser attacks of issue 16 that must be watched from outside the page: Chromium is driven from Node (see
 * testing/chromium-app.ts) because vitest's browser mode aborts the run on any renderer crash in the tab, and
 * because a non-isolated page needs its own server.
 */
import { describe, expect, it, vi } from 'vitest';
import { type AppPage, chromiumTestsEnabled, useAppPage } from '../testing/chromium-app.js';

/** Copies an 8 MB JavaScript array from Python until the worker's V8 heap (about 4 GB) is exhausted. */
const jsHeapBomb = [
  'from pyodide.ffi import to_js',
  'block = to_js([1.5] * 2**20)',
  'keep = []',
  'while True:',
  '    keep.append(block.slice())',
].join('\n');

async function run(page: AppPage, session: number, code: string, timeoutMs?: number) {
  return JSON.parse(await page.evaluate<string>(`app.run(${session}, ${JSON.stringify(code)}, ${timeoutMs})`));
}

// B2: Chromium puts the sandboxed frame (and so its workers) in a renderer process of its own; when a session
// kills that process the page keeps running, and the sandbox notices the silent frame, fails the run with
// `SandboxCrash` and starts a new frame.
describe.runIf(chromiumTestsEnabled)('a session that exhausts the JS heap', { timeout: 180_000 }, () => {
  const openPage = useAppPage('dev');

  it('keeps the page, its heartbeat and its state, fails the run as SandboxCrash, then serves new sessions', async () => {
    const page = openPage();
    const victim = await page.evaluate<number>('app.newSession()');
    const attacker = await page.evaluate<number>('app.newSession()');
    expect((await run(page, victim, 'kept = 1')).ok).toBe(true);
    const beatsBefore = await page.evaluate<number>('app.beats');
    const bomb = await run(page, attacker, jsHeapBomb);
    expect(bomb.ok).toBe(false);
    expect(bomb.error?.type).toBe('SandboxCrash');
    expect(bomb.error?.message).toMatch(/frame stopped answering/);
    // The page lived through it: its timers kept running and its state is intact.
    expect(await page.evaluate<number>('app.beats')).toBeGreaterThan(beatsBefore);
    expect(await page.evaluate('app.state.note')).toBe('page state');
    // Every session of that frame lost its state, and says so instead of hanging.
    const victimAfter = await run(page, victim, 'kept');
    expect(victimAfter.ok).toBe(false);
    expect(JSON.stringify(victimAfter)).toMatch(/restarted|state is lost|NameError/);
    const fresh = await page.evaluate<number>('app.newSession()');
    expect((await run(page, fresh, '6 * 7')).result?.repr).toBe('42');
  });
});

// B3: 16 busy nested workers outlived a 27 ms run and slowed new sessions 20x. Nested workers cannot start any
// more (attacks-worker-csp.browser.test.ts for a worker running arbitrary JavaScript); here Python tries, and a
// busy run that ignores its interrupt is ended at its time limit with nothing of it left running. Counted with
// Chromium's own list of worker targets, never timed.
describe.runIf(chromiumTestsEnabled)('a busy session at its time limit', { timeout: 180_000 }, () => {
  const openPage = useAppPage('dev');

  it('starts no nested worker, and its terminated worker leaves no work behind for new sessions', async () => {
    const page = openPage();
    const attacker = await page.evaluate<number>('app.newSession()');
    expect((await run(page, attacker, 'kept = 1')).ok).toBe(true);
    const before = await page.workerCount();
    // One worker per session (the pool keeps none warm in the fixture app).
    expect(before).toBe(1);
    const nested = await run(
      page,
      attacker,
      [
        'from pyodide.ffi import to_js',
        'tried = []',
        'for source in ("return new Worker(\'data:text/javascript,for(;;);\')", "return URL.createObjectURL"):',
        '    try:',
        '        to_js({}).constructor.constructor(source)()',
        '        tried.append("ran")',
        '    except Exception as error:',
        '        tried.append(type(error).__name__)',
        'tried',
      ].join('\n'),
    );
    expect(nested.result?.repr).not.toContain('ran');
    expect(await page.workerCount()).toBe(before);
    const busy = await run(
      page,
      attacker,
      'while True:\n    try:\n        while True: pass\n    except BaseException:\n        pass',
      300,
    );
    expect(busy.error?.type).toBe('TimeoutError');
    expect(busy.error?.message).toMatch(/state is lost/);
    // The busy worker is gone; what is left is one worker per live session.
    const fresh = await page.evaluate<number>('app.newSession()');
    expect((await run(page, fresh, 'sum(range(10**6))')).result?.repr).toBe('499999500000');
    expect((await run(page, attacker, 'kept')).error?.type).toBe('NameError');
    await vi.waitFor(async () => expect(await page.workerCount()).toBe(2), { timeout: 10_000 });
  });
});

// B6: without COOP/COEP there is no SharedArrayBuffer; createSession used to hang for more than 25 s.
describe.runIf(chromiumTestsEnabled)('a page that is not cross-origin isolated', { timeout: 120_000 }, () => {
  const openPage = useAppPage('dev', { crossOriginIsolation: false });

  it('fails createSession at once with an error that names the missing headers', async () => {
    const page = openPage();
    expect(await page.evaluate('app.isolated')).toBe(false);
    const outcome = await page.evaluate<{ code?: string; message: string }>(
      'app.newSession().then(() => ({ message: "started" }), (error) => ({ code: error.code, message: error.message }))',
    );
    expect(outcome.code).toBe('sandbox-start-failed');
    expect(outcome.message).toContain('Cross-Origin-Opener-Policy: same-origin');
    expect(outcome.message).toContain('Cross-Origin-Embedder-Policy: require-corp');
  });
});
