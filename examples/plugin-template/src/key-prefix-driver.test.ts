import { createMemoryDriver } from '@agenticgen/cache';
import { runCacheDriverSuite } from '@agenticgen/cache/testing';
import { describe, expect, it } from 'vitest';
import { createKeyPrefixDriver } from './key-prefix-driver.js';

// The contract every L2 driver passes, imported from the published package as any plugin author would.
// Two memory drivers are two separate stores, so there is no pub/sub between instances to check.
runCacheDriverSuite('key prefix over memory', () => createKeyPrefixDriver(createMemoryDriver(), 'notes:'), {
  skip: ['publish-subscribe'],
});

describe('key prefix driver', () => {
  it('clears only its own prefix of the shared store', async () => {
    const shared = createMemoryDriver();
    const notes = createKeyPrefixDriver(shared, 'notes:');
    await shared.set('other:k', { value: 'kept', createdAt: Date.now() });
    await notes.set('k', { value: 'mine', createdAt: Date.now() });
    await notes.clear?.();
    expect(await notes.get('k')).toBeUndefined();
    expect((await shared.get('other:k'))?.value).toBe('kept');
  });
});
