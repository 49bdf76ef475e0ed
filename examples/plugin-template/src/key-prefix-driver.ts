import type { CacheDriver } from '@agenticgen/cache';

/**
 * A cache driver that keeps everything under its own key prefix of another driver, so several plugins can
 * share one L2 (one Redis, one IndexedDB database) without touching each other's entries or counters. It is
 * here to show how a plugin that ships a provider tests it: against the published contract suite
 * (`key-prefix-driver.test.ts`).
 */
export function createKeyPrefixDriver(base: CacheDriver, prefix: string): CacheDriver {
  const { increment, readCounter, publish, subscribe, dispose } = base;
  return {
    name: `${base.name}+prefix`,
    get: (key) => base.get(prefix + key),
    set: (key, entry) => base.set(prefix + key, entry),
    delete: (key) => base.delete(prefix + key),
    // Without a prefix of its own, `clear()` would empty the whole shared store.
    clear: async (keyPrefix = '') => base.clear?.(prefix + keyPrefix),
    ...(increment === undefined ? {} : { increment: (key: string) => increment.call(base, prefix + key) }),
    ...(readCounter === undefined ? {} : { readCounter: (key: string) => readCounter.call(base, prefix + key) }),
    ...(publish === undefined ? {} : { publish: (message) => publish.call(base, message) }),
    ...(subscribe === undefined ? {} : { subscribe: (listener) => subscribe.call(base, listener) }),
    ...(dispose === undefined ? {} : { dispose: () => dispose.call(base) }),
  };
}
