import { describe, expect, it, vi } from 'vitest';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { createEventBus, type ListenerErrorEvent } from './event-bus.js';
import type { RuntimeEvents } from './runtime-events.js';

interface TestEvents {
  'item-add': { id: number };
  'item-remove': { id: number };
}

describe('createEventBus', () => {
  it('delivers typed payloads to listeners in registration order', () => {
    const bus = createEventBus<TestEvents>();
    const seen: string[] = [];
    bus.on('item-add', ({ id }) => seen.push(`a${id}`));
    bus.on('item-add', ({ id }) => seen.push(`b${id}`));
    bus.on('item-remove', ({ id }) => seen.push(`r${id}`));
    expect(bus.emit('item-add', { id: 1 })).toBe(true);
    bus.emit('item-remove', { id: 2 });
    expect(seen).toEqual(['a1', 'b1', 'r2']);
    expect(bus.emit('item-remove', { id: 3 }) && bus.listenerCount('item-add')).toBe(2);
  });

  it('a throwing listener neither breaks the emitter nor stops the other listeners; it becomes an error event', () => {
    const bus = createEventBus<TestEvents>();
    const errors: ListenerErrorEvent[] = [];
    const seen: number[] = [];
    bus.on('error', (event) => errors.push(event));
    bus.on('item-add', () => {
      throw new Error('listener bug');
    });
    bus.on('item-add', ({ id }) => seen.push(id));
    expect(() => bus.emit('item-add', { id: 1 })).not.toThrow();
    bus.emit('item-add', { id: 2 });
    expect(seen).toEqual([1, 2]);
    expect(errors).toHaveLength(2);
    const [first] = errors;
    expect(first?.event).toBe('item-add');
    expect(first?.payload).toEqual({ id: 1 });
    expect(AgenticGenError.hasCode(first?.error, 'listener-failed')).toBe(true);
    expect(first?.error.message).toContain('listener bug');
    expect((first?.error.cause as Error | undefined)?.message).toBe('listener bug');
  });

  it('reports a rejected async listener as an error event too', async () => {
    const bus = createEventBus<TestEvents>();
    const errors: ListenerErrorEvent[] = [];
    bus.on('error', (event) => errors.push(event));
    bus.on('item-add', async () => {
      await Promise.resolve();
      throw new AgenticGenError('internal', '[test] async failure');
    });
    bus.emit('item-add', { id: 7 });
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]?.error.code).toBe('listener-failed');
    expect(AgenticGenError.hasCode(errors[0]?.error.cause, 'internal')).toBe(true);
  });

  it('without an error listener, failures go to the unhandled reporter (console.error by default), never thrown', () => {
    const reported: Array<[string, string]> = [];
    const bus = createEventBus<TestEvents>({ onUnhandledError: (error, event) => reported.push([event, error.code]) });
    bus.on('item-add', () => {
      throw new Error('boom');
    });
    expect(() => bus.emit('item-add', { id: 1 })).not.toThrow();
    expect(reported).toEqual([['item-add', 'listener-failed']]);

    const original = console.error;
    const logged: unknown[][] = [];
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      const quiet = createEventBus<TestEvents>();
      quiet.on('item-add', () => {
        throw new Error('to console');
      });
      quiet.emit('item-add', { id: 1 });
    } finally {
      console.error = original;
    }
    expect(logged).toHaveLength(1);
    expect(String(logged[0]?.[0])).toContain('"item-add"');
  });

  it('a throwing error listener does not recurse and does not throw', () => {
    const reported: string[] = [];
    const bus = createEventBus<TestEvents>({
      onUnhandledError: (error, event) => reported.push(`${event}:${error.code}`),
    });
    bus.on('error', () => {
      throw new Error('error listener bug');
    });
    bus.on('item-add', () => {
      throw new Error('first');
    });
    expect(() => bus.emit('item-add', { id: 1 })).not.toThrow();
    expect(reported).toEqual(['error:listener-failed']);
  });

  it('on returns an unsubscribe function, off removes by the original listener, once fires once', () => {
    const bus = createEventBus<TestEvents>();
    const seen: string[] = [];
    const listener = ({ id }: { id: number }) => seen.push(`l${id}`);
    const unsubscribe = bus.on('item-add', ({ id }) => seen.push(`u${id}`));
    bus.on('item-add', listener);
    bus.once('item-add', ({ id }) => seen.push(`o${id}`));
    bus.emit('item-add', { id: 1 });
    unsubscribe();
    unsubscribe();
    bus.off('item-add', listener);
    bus.emit('item-add', { id: 2 });
    expect(seen).toEqual(['u1', 'l1', 'o1']);
    expect(bus.hasListeners('item-add')).toBe(false);
  });

  it('off on a listener added twice removes one registration; removeAllListeners clears', () => {
    const bus = createEventBus<TestEvents>();
    let count = 0;
    const listener = () => {
      count++;
    };
    bus.on('item-add', listener);
    bus.on('item-add', listener);
    bus.off('item-add', listener);
    bus.emit('item-add', { id: 1 });
    expect(count).toBe(1);
    bus.on('item-remove', listener);
    bus.removeAllListeners('item-add');
    expect(bus.listenerCount('item-add')).toBe(0);
    expect(bus.listenerCount('item-remove')).toBe(1);
    bus.removeAllListeners();
    expect(bus.emit('item-remove', { id: 1 })).toBe(false);
  });

  it('rejects a listener that is not a function', () => {
    const bus = createEventBus<TestEvents>();
    expect(() => bus.on('item-add', 'nope' as never)).toThrowError(/must be a function/);
  });

  it('two buses are independent', () => {
    const first = createEventBus<RuntimeEvents>();
    const second = createEventBus<RuntimeEvents>();
    const seen: string[] = [];
    first.on('run-start', ({ runId }) => seen.push(`first:${runId}`));
    second.on('run-start', ({ runId }) => seen.push(`second:${runId}`));
    first.emit('run-start', { runId: 'r1', timestamp: Date.now() });
    expect(seen).toEqual(['first:r1']);
  });
});
