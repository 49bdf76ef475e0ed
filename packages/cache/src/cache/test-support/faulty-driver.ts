import type { CacheDriver } from '../../drivers/driver.js';
import { createMemoryDriver } from '../../drivers/memory.js';
import { cacheError } from '../../errors.js';

/** A memory driver whose operations can be switched to hang forever or to fail, like a dead or stuck server. */
export function faultyDriver() {
  const inner = createMemoryDriver();
  const state = { mode: 'ok' as 'ok' | 'hang' | 'fail' | 'corrupt', calls: 0 };
  const guard = <T>(operation: () => Promise<T>): Promise<T> => {
    state.calls++;
    if (state.mode === 'hang') return new Promise<T>(() => undefined);
    if (state.mode === 'fail') return Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379'));
    return operation();
  };
  const driver: CacheDriver = {
    name: 'faulty',
    get: async (key) => {
      if (state.mode !== 'corrupt') return guard(() => inner.get(key));
      state.calls++;
      await inner.delete(key); // what the real drivers do: drop the damaged entry, then report it
      throw cacheError('cache-entry-corrupt', 'bad checksum');
    },
    set: (key, entry) => guard(() => inner.set(key, entry)),
    delete: (key) => guard(() => inner.delete(key)),
    clear: (prefix) => guard(async () => inner.clear?.(prefix)),
  };
  return { driver, state, inner };
}
