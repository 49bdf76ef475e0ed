/**
 * Attacks of issue 16 on the limits both runtimes share: JavaScript heap, CPU between runs, silent state loss,
 * timeouts hidden in `__repr__`, the harness module, and fairness between callers. Part of the attack suite
 * (`attack-suite.ts`), so each runs in Node and in Chromium.
 */
import { AgenticGenError, type CodeSession, type RunResult } from '@agenticgen/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PythonSandbox, SessionRestartEvent } from '../host/sandbox-core.js';
import type { AttackEnvironment } from './attack-environment.js';

export interface RuntimeAttackContext {
  /** The attacking session of the suite. */
  attacker(): CodeSession;
  /** Runs an attack, then checks the host, the victim and the attacker's next run. */
  attack(code: string, options?: { timeoutMs?: number }): Promise<RunResult>;
  /** `attack`, which must fail: with this error type, or with a message matching this pattern. */
  attackFails(code: string, expected: string | RegExp, options?: { timeoutMs?: number }): Promise<RunResult>;
}

export function runRuntimeAttacks(environment: AttackEnvironment, context: RuntimeAttackContext): void {
  describe('JavaScript heap (issue 16, item 1)', { timeout: 120_000 }, () => {
    it.runIf(environment.capsJavaScriptHeap === true)(
      'counts JavaScript arrays allocated from Python against the memory limit and restarts the session',
      async () => {
        const attacker = context.attacker();
        await attacker.run('kept_before = 1');
        const result = await attacker.run(
          [
            'from pyodide.ffi import to_js',
            'JsArray = to_js([]).constructor',
            'hoard = []',
            'for _ in range(8):',
            '    hoard.append(JsArray.new(2**25).fill(1.5))',
          ].join('\n'),
          { timeoutMs: 60_000 },
        );
        expect(result.ok).toBe(false);
        expect(result.error?.type).toBe('MemoryError');
        expect(result.error?.message).toMatch(/memory limit/);
        const next = await attacker.run('hoard');
        expect(next.error?.type).toBe('NameError');
        expect(next.stderr).toMatch(/the session was restarted \(memory limit\)/);
        expect((await context.attack('21 * 2')).ok).toBe(true);
      },
    );
  });

  describe('CPU between runs (issue 16, item 2)', () => {
    /** Runs `lines` (Python that schedules work to outlive the run) in the attacking session; the run succeeds. */
    async function schedule(lines: string[]): Promise<{ attacker: CodeSession; scheduled: RunResult }> {
      const attacker = context.attacker();
      const scheduled = await attacker.run(lines.join('\n'));
      expect(scheduled.error).toBeUndefined();
      expect(scheduled.ok).toBe(true);
      return { attacker, scheduled };
    }

    /** Each run is a message the worker's event loop handles after any callback that was due: 20 round trips
     * give a callback that was going to run every chance to, with no wall-clock threshold involved. */
    async function expectNoTicks(attacker: CodeSession, expected: string): Promise<void> {
      for (let round = 0; round < 20; round++) {
        const seen = await attacker.run('dict(ticks)');
        expect(seen.result?.repr).toBe(expected);
      }
    }

    /** Schedules `lines`, whose run ends by showing `ticks`: no tick may follow once the run ended. */
    async function expectFrozenAfterRun(lines: string[]): Promise<void> {
      const { attacker, scheduled } = await schedule([...lines, 'dict(ticks)']);
      await expectNoTicks(attacker, scheduled.result?.repr ?? 'missing');
    }

    /** Python: `JsArray` (JavaScript's Array) and `steps(key)`, a generator counting its steps in `ticks[key]`. */
    const countedSteps = [
      'from pyodide.ffi import to_js',
      'JsArray = to_js([]).constructor',
      'def steps(key):',
      '    while True:',
      '        ticks[key] += 1',
      '        yield 1',
    ];

    it('runs no callback scheduled through the event loop or timers after the run ended', async () => {
      const { attacker } = await schedule([
        'import asyncio',
        'from pyodide.ffi import create_proxy',
        'import pyodide.webloop as webloop',
        'ticks = {"soon": 0, "later": 0, "callback": 0}',
        'def soon():',
        '    ticks["soon"] += 1',
        '    asyncio.get_event_loop().call_soon(soon)',
        'asyncio.get_event_loop().call_soon(soon)',
        'asyncio.get_event_loop().call_later(0.001, lambda: ticks.__setitem__("later", 1))',
        'def callback():',
        '    ticks["callback"] += 1',
        '    webloop.scheduleCallback(keep, 0)',
        'keep = create_proxy(callback)',
        'webloop.scheduleCallback(keep, 0)',
        'webloop.scheduleCallback(keep, 5)',
      ]);
      await expectNoTicks(attacker, "{'soon': 0, 'later': 0, 'callback': 0}");
    });

    it('runs no asyncio task after the run ended: one spinning on sleep(0), one awaiting JavaScript promises', async () => {
      await expectFrozenAfterRun([
        'import asyncio',
        ...countedSteps,
        'ticks = {"sleep": 0, "promise": 0}',
        'async def on_sleep():',
        '    while True:',
        '        ticks["sleep"] += 1',
        '        await asyncio.sleep(0)',
        'async def on_promise():',
        '    while True:',
        '        ticks["promise"] += 1',
        // A JavaScript promise each time (Array.fromAsync), awaited as a Python future.
        '        await JsArray.fromAsync([1])',
        'loop = asyncio.get_event_loop()',
        'tasks = [loop.create_task(on_sleep()), loop.create_task(on_promise())]',
      ]);
    });

    it.runIf(environment.freezesPromiseJobs !== false)(
      'runs no promise job Python started (an async iterator over a generator) after the run ended',
      async () => {
        // The iterator's first step runs inside the call, within the run.
        await expectFrozenAfterRun([
          ...countedSteps,
          'ticks = {"promise": 0}',
          'pending = JsArray.fromAsync(steps("promise"))',
        ]);
      },
    );

    it.runIf(environment.freezesPromiseJobs !== false)(
      'stops several promise chains between runs: each takes at most one step after the run, then none',
      async () => {
        const { attacker } = await schedule([
          ...countedSteps,
          'ticks = {"a": 0, "b": 0, "c": 0}',
          'pending = [JsArray.fromAsync(steps(key)) for key in ticks]',
        ]);
        const first = await attacker.run('list(ticks.values())');
        const counts = JSON.parse(String(first.result?.repr)) as number[];
        for (const count of counts) expect(count).toBeLessThanOrEqual(2);
        await expectNoTicks(attacker, `{'a': ${counts[0]}, 'b': ${counts[1]}, 'c': ${counts[2]}}`);
      },
    );
  });

  describe('state loss is always reported (issue 16, item 3)', { timeout: 120_000 }, () => {
    it.runIf(environment.killWorkers !== undefined)(
      'a worker that died between runs: the next run says the state was lost, and an event says why',
      async () => {
        const sandbox = environment.createSandbox({ pool: { warm: 0 } });
        try {
          const session = await sandbox.createSession();
          const restarts: SessionRestartEvent[] = [];
          sandbox.events.on('session-restart', (event) => {
            restarts.push(event);
          });
          expect((await session.run('state = "kept"')).ok).toBe(true);
          await environment.killWorkers?.(sandbox);
          await vi.waitFor(() => expect(restarts).toHaveLength(1), { timeout: 20_000 });
          expect(restarts[0]).toMatchObject({ sessionId: session.id, reason: 'worker-exit' });
          const next = await session.run('state');
          expect(next.error?.type).toBe('NameError');
          expect(next.stderr).toMatch(
            /^\[sandbox\] the session was restarted \(worker stopped\); earlier state is lost/,
          );
        } finally {
          await sandbox.dispose();
        }
      },
    );

    it('every replacement emits session-restart with its reason', async () => {
      const sandbox = environment.createSandbox({ pool: { warm: 0 } });
      try {
        const session = await sandbox.createSession();
        const restarts: SessionRestartEvent[] = [];
        sandbox.events.on('session-restart', (event) => {
          restarts.push(event);
        });
        const stuck = await session.run('import time\ntime.sleep(1e6)', { timeoutMs: 200 });
        expect(stuck.error?.type).toBe('TimeoutError');
        expect(restarts).toEqual([expect.objectContaining({ sessionId: session.id, reason: 'time-limit' })]);
      } finally {
        await sandbox.dispose();
      }
    });
  });

  describe('timeouts are never reported as success (issue 16, item 4)', () => {
    it('reports a time limit reached inside __repr__ as a timeout', async () => {
      await context.attackFails(
        'class Slow:\n    def __repr__(self):\n        while True: pass\nSlow()',
        'TimeoutError',
        {
          timeoutMs: 300,
        },
      );
    });

    it('reports a run that swallowed the interrupt and finished as a timeout', async () => {
      await context.attackFails(
        'try:\n    while True: pass\nexcept KeyboardInterrupt:\n    pass\n"finished anyway"',
        'TimeoutError',
        { timeoutMs: 300 },
      );
    });
  });

  describe('the harness is out of reach (issue 16, item 5)', () => {
    /** Runs the attack `lines`, which must succeed and end with the expression `found`, an empty list. */
    async function expectNothingFound(lines: string[]): Promise<void> {
      const result = await context.attack(lines.join('\n'));
      expect(result.ok).toBe(true);
      expect(result.result?.repr).toBe('[]');
    }

    it('cannot import the harness module', async () => {
      await context.attackFails('import _agenticgen\n_agenticgen._set_limit(10**7)', 'ModuleNotFoundError');
    });

    it('finds the harness neither in sys.modules nor behind sys.setrecursionlimit or the import blocker', async () => {
      await expectNothingFound([
        'import sys',
        'found = [name for name, module in list(sys.modules.items()) if "agenticgen" in name',
        '         or hasattr(module, "_set_limit") or hasattr(module, "_mime")]',
        'for finder in sys.meta_path:',
        '    for method in vars(type(finder)).values():',
        '        found.extend(name for name in ("run", "_mime", "reseed") if name in getattr(method, "__globals__", {}))',
        'limit = sys.setrecursionlimit',
        'for cell in getattr(limit, "__closure__", None) or ():',
        '    found.append(repr(cell.cell_contents))',
        'found.extend(name for name in ("_set_limit", "_max_recursion") if name in getattr(limit, "__globals__", {}))',
        'found',
      ]);
    });

    /**
     * Python that finds functions of the sandbox's own code: not from a user cell, a file (standard library,
     * Pyodide) or a live module. `harness_in_frames` lists those in the frames below it, their globals and locals.
     */
    const harnessProbe = [
      'import gc, sys, types',
      'def runtime_function(value):',
      '    if not isinstance(value, types.FunctionType) or value.__code__.co_filename.startswith(("/", "<cell-", "<frozen")):',
      '        return False',
      // Code generated by the standard library belongs to a live module (dataclasses) or to a namedtuple.
      '    home = sys.modules.get(value.__globals__.get("__name__"))',
      '    if str(value.__globals__.get("__name__")).startswith("namedtuple_"):',
      '        return False',
      '    return home is None or vars(home) is not value.__globals__',
      'def harness_in_frames(frame):',
      '    found = []',
      '    while frame is not None:',
      '        for scope in (frame.f_globals, frame.f_locals):',
      '            found.extend(name for name, value in list(scope.items()) if runtime_function(value)',
      '                         or getattr(value, "__name__", "") == "_agenticgen")',
      '        frame = frame.f_back',
      '    return found',
    ];

    it('finds no function of the harness on the stack: in the cell, in __repr__ and in an exception __str__', async () => {
      const result = await context.attack(
        [
          ...harnessProbe,
          'seen = {"cell": harness_in_frames(sys._getframe()), "below_cell": repr(sys._getframe().f_back)}',
          'class Shown:',
          '    def __repr__(self):',
          '        seen["repr"] = harness_in_frames(sys._getframe())',
          '        return "shown"',
          'class Raised(Exception):',
          '    def __str__(self):',
          '        seen["str"] = harness_in_frames(sys._getframe())',
          '        return "raised"',
          'Shown()',
        ].join('\n'),
      );
      expect(result.result?.repr).toBe('shown');
      const raised = await context.attacker().run('raise Raised()');
      expect(raised.error?.message).toBe('raised');
      const seen = await context.attacker().run('seen');
      expect(seen.result?.repr).toBe("{'cell': [], 'below_cell': 'None', 'repr': [], 'str': []}");
    });

    it('finds no function of the harness through gc.get_objects(), closures, sys.modules or builtins', async () => {
      await expectNothingFound([
        ...harnessProbe,
        'import builtins',
        'found = []',
        'blockers = [f for f in sys.meta_path if type(f).__name__ == "BlockHostModules"]',
        'allowed = {id(vars(type(f))["find_spec"]) for f in blockers}',
        'for value in gc.get_objects():',
        '    if runtime_function(value) and id(value) not in allowed:',
        '        found.append(value.__name__)',
        '    for cell in getattr(value, "__closure__", None) or ():',
        '        if runtime_function(cell.cell_contents):',
        '            found.append("closure:" + cell.cell_contents.__name__)',
        'for module in list(sys.modules.values()):',
        '    found.extend("module:" + n for n, v in list(vars(module).items()) if runtime_function(v))',
        'found.extend("builtins:" + n for n, v in vars(builtins).items() if runtime_function(v))',
        // The import blocker must stay in sys.meta_path: its method reaches no other function of the harness.
        'for f in blockers:',
        '    found.extend("blocker:" + n for n, v in vars(type(f))["find_spec"].__globals__.items() if runtime_function(v))',
        'found',
      ]);
    });

    it('finds no way through gc.get_objects() to lift the recursion limit', async () => {
      const result = await context.attack(
        [
          'import gc, sys',
          'for holder in gc.get_objects():',
          '    if getattr(holder, "__name__", "") in ("setrecursionlimit", "_set_limit") and callable(holder):',
          '        try:',
          '            holder(10**6)',
          '        except Exception:',
          '            pass',
          'sys.getrecursionlimit()',
        ].join('\n'),
      );
      expect(result.ok).toBe(true);
      expect(Number(result.result?.repr)).toBeLessThanOrEqual(1000);
    });
  });

  describe('fairness between callers (issue 16, item 7)', { timeout: 120_000 }, () => {
    let sandbox: PythonSandbox;
    beforeAll(() => {
      sandbox = environment.createSandbox({
        pool: { warm: 0, max: 4 },
        fairness: { maxQueuedPerSession: 2, maxSessionsPerOwner: 1, maxQueuedPerOwner: 1 },
      });
    });
    afterAll(async () => {
      await sandbox?.dispose();
    });

    const busyLoop = 'while True: pass';
    const isBusy = (error: unknown) => AgenticGenError.hasCode(error, 'busy');

    it('refuses runs past the per-session queue limit with busy; a cancelled run leaves the queue at once', async () => {
      const session = await sandbox.createSession();
      const running = session.run(busyLoop, { timeoutMs: 3000 });
      const cancel = new AbortController();
      const cancelled = session.run('1', { signal: cancel.signal });
      const queued = session.run('2');
      const refused = await session.run('3').catch((error: unknown) => error);
      expect(isBusy(refused)).toBe(true);
      expect((refused as AgenticGenError).retryable).toBe(true);
      cancel.abort();
      await expect(cancelled).rejects.toMatchObject({ code: 'aborted' });
      // The cancelled run's place is free while the first run is still going.
      const admitted = session.run('4');
      expect((await running).error?.type).toBe('TimeoutError');
      expect((await queued).result?.repr).toBe('2');
      expect((await admitted).result?.repr).toBe('4');
      await session.dispose();
    });

    it('limits the sessions and the queued runs of one owner, not of the others', async () => {
      const first = await sandbox.createSession({ owner: 'tenant-a' });
      const second = await sandbox.createSession({ owner: 'tenant-a' }).catch((error: unknown) => error);
      expect(isBusy(second)).toBe(true);
      const other = await sandbox.createSession({ owner: 'tenant-b' });
      const running = first.run(busyLoop, { timeoutMs: 3000 });
      const queued = first.run('1');
      // Below the per-session limit (2), at the owner's (1).
      const refused = await first.run('2').catch((error: unknown) => error);
      expect(isBusy(refused)).toBe(true);
      expect((await other.run('"tenant b runs"')).result?.repr).toBe("'tenant b runs'");
      expect((await running).error?.type).toBe('TimeoutError');
      expect((await queued).result?.repr).toBe('1');
      await Promise.all([first.dispose(), other.dispose()]);
      const again = await sandbox.createSession({ owner: 'tenant-a' });
      await again.dispose();
    });
  });
}
