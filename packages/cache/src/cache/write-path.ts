import type { CacheEntry, TagVersion } from '../drivers/driver.js';
import type { CacheCore } from './cache-core.js';
import type { SetOptions } from './cache-types.js';

/** How a tiered cache builds an entry from a value and its options, and writes it to both tiers. */

export function createEntry(core: CacheCore, value: unknown, options: SetOptions, negative: boolean): CacheEntry {
  const now = Date.now();
  const ttlMs = options.ttlMs ?? core.ttlMs;
  const entry: CacheEntry = { value, createdAt: now };
  if (ttlMs !== Number.POSITIVE_INFINITY) {
    entry.expiresAt = now + ttlMs;
    const staleMs = negative ? 0 : (options.staleWhileRevalidateMs ?? core.staleMs);
    if (staleMs > 0) entry.staleUntil = entry.expiresAt + staleMs;
  }
  if (options.tags !== undefined && options.tags.length > 0) entry.tags = [...options.tags];
  if (negative) entry.negative = true;
  return entry;
}

/** Stores `entry` in L1, then L2 (stamped with `tagVersions`), publishes the key and reports `cache-set`. */
export async function writeEntry(
  core: CacheCore,
  key: string,
  entry: CacheEntry,
  tagVersions?: readonly TagVersion[] | Promise<readonly TagVersion[]>,
): Promise<void> {
  const inL1 = core.storeL1(key, entry);
  core.counters.sets++;
  const l2 = core.l2;
  let inL2 = false;
  if (l2 !== undefined) {
    if (tagVersions !== undefined) entry.tagVersions = await tagVersions;
    try {
      inL2 = await l2.write(core.fullKey(key), key, { kind: 'set', entry });
    } catch (error) {
      core.l1?.delete(key); // the value cannot be stored at all; do not keep a copy only this process sees
      throw error;
    }
    if (inL2) await core.publishKeys([key]);
  }
  if (core.listeningSet) {
    const tiers: ('l1' | 'l2')[] = [];
    if (inL1) tiers.push('l1');
    if (inL2) tiers.push('l2');
    core.events.emit('cache-set', { key, tiers });
  }
}
