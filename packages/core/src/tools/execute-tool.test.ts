import { Type } from '@sinclair/typebox';
import { describe, expect, it, vi } from 'vitest';
import { isCancellable, uncancellableSignal } from '../errors/abort.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { defineTool, type ToolContext } from './define-tool.js';
import { executeTool, type ToolOutcome } from './execute-tool.js';
import { ToolRegistry } from './tool-registry.js';

/** A tool that records what reached `execute`. */
function recordingTool() {
  const received: unknown[] = [];
  const tool = defineTool({
    name: 'book_flight',
    description: 'Books a flight',
    parameters: Type.Object({
      from: Type.String({ minLength: 3, maxLength: 3 }),
      to: Type.String({ minLength: 3, maxLength: 3 }),
      passengers: Type.Integer({ minimum: 1, default: 1 }),
      note: Type.Optional(Type.String()),
    }),
    execute: (args) => {
      received.push(args);
      return { booked: `${args.from}-${args.to}`, passengers: args.passengers };
    },
  });
  return { tool, received };
}

const failed = (outcome: ToolOutcome) => {
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`);
  return outcome;
};

describe('executeTool: arguments', () => {
  it('runs valid arguments (object or JSON text) with defaults applied', async () => {
    const { tool, received } = recordingTool();
    const fromObject = await executeTool(tool, { from: 'CDG', to: 'JFK' }, { toolCallId: 'c1' });
    const fromText = await executeTool(tool, '{"from":"LHR","to":"SFO","passengers":2}', { toolCallId: 'c2' });
    expect(fromObject).toMatchObject({ ok: true, output: { booked: 'CDG-JFK', passengers: 1 } });
    expect(fromText).toMatchObject({ ok: true, output: { booked: 'LHR-SFO', passengers: 2 } });
    expect(received).toEqual([
      { from: 'CDG', to: 'JFK', passengers: 1 },
      { from: 'LHR', to: 'SFO', passengers: 2 },
    ]);
  });

  it('invalid arguments never reach execute and come back as a model-readable error with paths', async () => {
    const { tool, received } = recordingTool();
    const outcome = failed(await executeTool(tool, { from: 'Paris', to: 'JFK', passengers: 0 }, { toolCallId: 'c1' }));
    expect(received).toEqual([]);
    expect(outcome.error.code).toBe('tool-invalid-arguments');
    expect(outcome.error.message).toContain('"book_flight"');
    expect(outcome.error.message).toContain('call it again');
    const paths = outcome.error.issues?.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['/from', '/passengers']));
    expect(outcome.error.issues?.find((issue) => issue.path === '/from')?.received).toBe('Paris');
    // What goes back to the model must survive JSON.
    expect(JSON.parse(JSON.stringify(outcome.error))).toMatchObject({ code: 'tool-invalid-arguments' });
    expect(AgenticGenError.fromJSON(outcome.cause).code).toBe('tool-invalid-arguments');
  });

  it('missing required arguments and empty input are reported, not executed', async () => {
    const { tool, received } = recordingTool();
    for (const raw of [{}, '', undefined, null, '{}']) {
      const outcome = failed(await executeTool(tool, raw, { toolCallId: 'c' }));
      expect(outcome.error.code).toBe('tool-invalid-arguments');
      expect(outcome.error.issues?.map((issue) => issue.path)).toEqual(expect.arrayContaining(['/from', '/to']));
    }
    expect(received).toEqual([]);
  });

  it('malformed JSON arguments are reported with the raw text', async () => {
    const { tool, received } = recordingTool();
    const outcome = failed(await executeTool(tool, '{"from": "CDG", "to": ', { toolCallId: 'c' }));
    expect(outcome.error.code).toBe('tool-invalid-arguments');
    expect(outcome.error.issues).toEqual([
      { path: '', expected: 'Expected a JSON object', received: '{"from": "CDG", "to": ' },
    ]);
    const array = failed(await executeTool(tool, '[1,2]', { toolCallId: 'c' }));
    expect(array.error.code).toBe('tool-invalid-arguments');
    expect(received).toEqual([]);
  });

  it('null for an optional property counts as absent (what OpenAI strict mode sends), null elsewhere is invalid', async () => {
    const { tool, received } = recordingTool();
    const outcome = await executeTool(tool, { from: 'CDG', to: 'JFK', passengers: 1, note: null }, { toolCallId: 'c' });
    expect(outcome.ok).toBe(true);
    expect(received).toEqual([{ from: 'CDG', to: 'JFK', passengers: 1 }]);
    expect(failed(await executeTool(tool, { from: null, to: 'JFK' }, { toolCallId: 'c' })).error.code).toBe(
      'tool-invalid-arguments',
    );
  });
});

describe('executeTool: execution', () => {
  it('passes the call id, host values and a live signal to execute', async () => {
    let context: ToolContext | undefined;
    const tool = defineTool({
      name: 'whoami',
      description: 'Returns the user',
      parameters: Type.Object({}),
      execute: (_args, toolContext) => {
        context = toolContext;
        return toolContext.values.userId;
      },
    });
    const outcome = await executeTool(tool, {}, { toolCallId: 'call_9', values: { userId: 'u1' } });
    expect(outcome).toMatchObject({ ok: true, output: 'u1' });
    expect(context?.toolCallId).toBe('call_9');
    expect(context?.signal.aborted).toBe(false);
  });

  it('a thrown error becomes tool-execution-failed; an AgenticGenError keeps its code', async () => {
    const throwing = defineTool({
      name: 'explode',
      description: 'Fails',
      parameters: Type.Object({ kind: Type.String() }),
      execute: async ({ kind }) => {
        if (kind === 'typed') throw new AgenticGenError('not-found', '[crm] customer 42 does not exist');
        throw new TypeError('cannot read properties of undefined');
      },
    });
    const plain = failed(await executeTool(throwing, { kind: 'plain' }, { toolCallId: 'c' }));
    expect(plain.error).toEqual({
      code: 'tool-execution-failed',
      message: '[tools] tool "explode" failed: cannot read properties of undefined',
    });
    expect(plain.cause.cause).toMatchObject({ name: 'TypeError' });
    const typed = failed(await executeTool(throwing, { kind: 'typed' }, { toolCallId: 'c' }));
    expect(typed.error.code).toBe('not-found');
  });

  it('times out with code timeout and aborts the signal the tool got', async () => {
    let signal: AbortSignal | undefined;
    const slow = defineTool({
      name: 'slow',
      description: 'Never finishes',
      parameters: Type.Object({}),
      timeoutMs: 20,
      execute: (_args, context) => {
        signal = context.signal;
        return new Promise(() => undefined);
      },
    });
    const outcome = failed(await executeTool(slow, {}, { toolCallId: 'c' }));
    expect(outcome.error.code).toBe('timeout');
    expect(outcome.error.message).toContain('20 ms');
    expect(signal?.aborted).toBe(true);
    // The per-call override wins over the tool's own timeout.
    const overridden = failed(await executeTool(slow, {}, { toolCallId: 'c', timeoutMs: 5 }));
    expect(overridden.error.message).toContain('5 ms');
  });

  it('honours the caller AbortSignal, before and during the call', async () => {
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    const waiting = defineTool({
      name: 'waiting',
      description: 'Waits',
      parameters: Type.Object({}),
      execute: () => {
        started();
        return new Promise(() => undefined);
      },
    });
    const controller = new AbortController();
    const pending = executeTool(waiting, {}, { toolCallId: 'c', signal: controller.signal });
    await running;
    controller.abort();
    expect(failed(await pending).error.code).toBe('aborted');

    let executed = false;
    const never = defineTool({
      name: 'never',
      description: 'Must not run',
      parameters: Type.Object({}),
      execute: () => {
        executed = true;
      },
    });
    const outcome = failed(await executeTool(never, {}, { toolCallId: 'c', signal: AbortSignal.abort() }));
    expect(outcome.error.code).toBe('aborted');
    expect(executed).toBe(false);
  });
});

describe('executeTool: tools that enforce their own limits', () => {
  it('arms no timer of its own, still hands over a signal that follows the caller, and enforces an override', async () => {
    vi.useFakeTimers();
    try {
      let signal: AbortSignal | undefined;
      const remote = defineTool({
        name: 'remote',
        description: 'Rejects on abort by itself, like a protocol client',
        parameters: Type.Object({}),
        timeoutMs: 1_000,
        enforcesLimits: true,
        execute: (_args, context) => {
          signal = context.signal;
          return new Promise((_resolve, reject) => {
            context.signal.addEventListener('abort', () => reject(new AgenticGenError('aborted', 'gone')));
          });
        },
      });
      const controller = new AbortController();
      const pending = executeTool(remote, {}, { toolCallId: 'c', signal: controller.signal });
      expect(vi.getTimerCount()).toBe(0);
      expect(signal).not.toBe(controller.signal); // its own, so listeners the tool leaves on it die with the call
      controller.abort();
      expect(failed(await pending).error.code).toBe('aborted');
      // A caller's override is not the tool's own limit: executeTool enforces it.
      const overridden = executeTool(remote, {}, { toolCallId: 'c', timeoutMs: 5 });
      expect(vi.getTimerCount()).toBe(1);
      await vi.advanceTimersByTimeAsync(5);
      expect(failed(await overridden).error.code).toBe('timeout');
    } finally {
      vi.useRealTimers();
    }
  });

  it('hands a self-limited tool called without a signal the shared never-aborting signal, and no guard', async () => {
    vi.useFakeTimers();
    try {
      const seen: AbortSignal[] = [];
      const remote = defineTool({
        name: 'remote_free',
        description: 'Enforces its own limits',
        parameters: Type.Object({}),
        enforcesLimits: true,
        execute: (_args, context) => {
          seen.push(context.signal);
          return 'ok';
        },
      });
      const addListener = vi.spyOn(uncancellableSignal, 'addEventListener');
      const outcomes = await Promise.all([1, 2, 3].map(() => executeTool(remote, {}, { toolCallId: 'c' })));
      expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
      expect(seen).toEqual([uncancellableSignal, uncancellableSignal, uncancellableSignal]);
      expect(isCancellable(seen[0])).toBe(false);
      expect(addListener).not.toHaveBeenCalled();
      expect(vi.getTimerCount()).toBe(0);
      // A tool that does not enforce its limits still gets a signal of its own, which its time limit aborts.
      const plain = defineTool({
        name: 'plain',
        description: 'Relies on executeTool',
        parameters: Type.Object({}),
        execute: (_args, context) => {
          seen.push(context.signal);
          return 'ok';
        },
      });
      await executeTool(plain, {}, { toolCallId: 'c' });
      expect(seen.at(-1)).not.toBe(uncancellableSignal);
      expect(isCancellable(seen.at(-1))).toBe(true);
      addListener.mockRestore();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('defineTool and ToolRegistry', () => {
  it('rejects bad names, non-object parameters and bad timeouts', () => {
    const parameters = Type.Object({});
    const execute = () => undefined;
    expect(() => defineTool({ name: 'has space', description: '', parameters, execute })).toThrow(/invalid tool name/);
    expect(() => defineTool({ name: 'x'.repeat(65), description: '', parameters, execute })).toThrow(
      /invalid tool name/,
    );
    expect(() => defineTool({ name: 'ok', description: '', parameters: Type.String() as never, execute })).toThrow(
      /Type.Object/,
    );
    expect(() => defineTool({ name: 'ok', description: '', parameters, execute, timeoutMs: 0 })).toThrow(/timeoutMs/);
  });

  it('refuses duplicate names and reports unknown tools in a model-readable way', async () => {
    const { tool } = recordingTool();
    const registry = new ToolRegistry([tool]);
    expect(() => registry.register(tool)).toThrowError(/already registered/);
    expect(registry.size).toBe(1);
    const outcome = failed(await registry.execute('book_hotel', {}, { toolCallId: 'c' }));
    expect(outcome.error).toEqual({
      code: 'tool-not-found',
      message: '[tools] no tool named "book_hotel"; available: book_flight',
    });
    expect(await registry.execute('book_flight', { from: 'CDG', to: 'JFK' }, { toolCallId: 'c' })).toMatchObject({
      ok: true,
    });
    expect(registry.specs().map((spec) => spec.name)).toEqual(['book_flight']);
    expect(registry.unregister('book_flight')).toBe(true);
    expect(registry.has('book_flight')).toBe(false);
  });
});
