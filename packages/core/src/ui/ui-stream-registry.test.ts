import { describe, expect, it } from 'vitest';
import { createMemoryUIStreamDriver } from './memory-ui-stream-driver.js';
import { createUIStreamRegistry } from './ui-stream-registry.js';
import { manualChunks, runUIStreamDriverSuite } from './ui-stream-registry.suite.js';

const shared = createMemoryUIStreamDriver();
runUIStreamDriverSuite('memory', { instance: async () => shared });

describe('the memory UI stream driver', () => {
  it('refuses more active streams than maxActiveStreams, and forgets the oldest finished ones', async () => {
    const registry = createUIStreamRegistry({
      driver: createMemoryUIStreamDriver({ maxActiveStreams: 1, maxFinishedStreams: 1 }),
    });
    const first = manualChunks();
    const started = await registry.start('a', first.stream);
    await expect(registry.start('b', manualChunks().stream)).rejects.toMatchObject({ code: 'queue-full' });
    first.close();
    await started.done;
    const second = manualChunks();
    const next = await registry.start('b', second.stream);
    second.close();
    await next.done;
    expect(await registry.driver.state('a')).toBeUndefined();
    expect(await registry.driver.state('b')).toBe('finished');
  });

  it('rejects a bad resume index', async () => {
    const registry = createUIStreamRegistry();
    const source = manualChunks();
    await registry.start('x', source.stream);
    await expect(registry.resume('x', { from: -1 })).rejects.toMatchObject({ code: 'invalid-argument' });
    source.close();
  });
});

describe('a failing driver', () => {
  it('cancels the source (the agent run) when the driver cannot store events', async () => {
    const memory = createMemoryUIStreamDriver();
    const registry = createUIStreamRegistry({
      driver: { ...memory, append: () => Promise.reject(new Error('store down')) },
    });
    const source = manualChunks();
    const { done } = await registry.start('broken', source.stream);
    source.push({ type: 'start' });
    await expect(done).rejects.toThrow('store down');
    await source.cancelled;
    expect(await registry.driver.state('broken')).toBe('finished');
  });
});
