import { AgenticGenError } from '@agenticgen/core';
import { cacheError, toCacheError } from '../errors.js';
import type { CacheCore } from './cache-core.js';
import { rethrow, serializeError } from './cache-helpers.js';
import type { CacheLoader, GetOrSetOptions } from './cache-types.js';
import { readL2 } from './read-path.js';
import type { Flight } from './single-flight.js';
import { createEntry, writeEntry } from './write-path.js';

/**
 * How `getOrSet` loads a missing or stale key: one load per key at a time (single-flight), L2 before the loader,
 * negative caching of loader failures, and the background refresh of a stale value.
 */

/** Waits for the key's load, joining one in progress or starting it. */
export function joinLoad(
  core: CacheCore,
  key: string,
  loader: CacheLoader<unknown>,
  options: GetOrSetOptions,
): Promise<unknown> {
  return core.flights.join(options.signal, () => load(core, key, loader, options, false));
}

function load(
  core: CacheCore,
  key: string,
  loader: CacheLoader<unknown>,
  options: GetOrSetOptions,
  refreshing: boolean,
): Flight {
  let refreshAfter = false;
  const run = async (flight: Flight) => {
    if (!refreshing && core.l1 !== undefined) core.counters.l1Misses++;
    const entry = await readL2(core, key);
    if (entry !== undefined) {
      const fresh = (entry.expiresAt ?? Number.POSITIVE_INFINITY) > Date.now();
      if (fresh || (!refreshing && entry.negative !== true)) {
        core.hit(key, 'l2', !fresh, !refreshing);
        refreshAfter = !fresh;
        return entry.negative === true ? rethrow(entry.value) : entry.value;
      }
    }
    if (!refreshing) core.miss(key);
    return await runLoader(core, key, loader, options, flight, refreshing);
  };
  // The next load of the key starts once this one has left the table.
  return core.flights.start(key, options.signal, run, () => {
    if (refreshAfter) refreshInBackground(core, key, loader, options);
  });
}

/** Reloads a stale key unless a load of it is already running; failures become `cache-error` events. */
export function refreshInBackground(
  core: CacheCore,
  key: string,
  loader: CacheLoader<unknown>,
  options: GetOrSetOptions,
): void {
  if (core.flights.has(key)) return;
  // A background refresh outlives the request that triggered it: no caller's signal cancels it.
  const { signal: _signal, ...refreshOptions } = options;
  load(core, key, loader, refreshOptions, true).promise.catch((error: unknown) => {
    core.events.emit('cache-error', {
      key,
      tier: 'loader',
      operation: 'refresh',
      error: AgenticGenError.isInstance(error)
        ? error
        : cacheError(
            'cache-loader-failed',
            `background refresh of ${JSON.stringify(key)} failed; the stale value stays`,
            {
              cause: error,
            },
          ),
    });
  });
}

async function runLoader(
  core: CacheCore,
  key: string,
  loader: CacheLoader<unknown>,
  options: GetOrSetOptions,
  flight: Flight,
  refreshing: boolean,
) {
  core.counters.loaderCalls++;
  // Tag versions from before the loader reads its source: an invalidation during the load makes the result stale.
  const tags = options.tags !== undefined && options.tags.length > 0 && core.tags.active ? options.tags : undefined;
  const versions = tags === undefined ? undefined : await core.tags.stamp(tags);
  let value: unknown;
  try {
    value = await loader(flight.signal === undefined ? {} : { signal: flight.signal });
  } catch (error) {
    core.counters.loaderErrors++;
    const negativeTtlMs = options.negativeTtlMs ?? core.negativeTtlMs;
    // A failed background refresh keeps serving the stale value (stale-if-error) instead of caching the failure;
    // a cancelled load says nothing about the source, so it is not remembered either.
    if (negativeTtlMs !== undefined && !flight.invalidated && !refreshing && flight.signal?.aborted !== true) {
      try {
        await writeEntry(
          core,
          key,
          createEntry(core, serializeError(error), { ...options, ttlMs: negativeTtlMs }, true),
          versions,
        );
      } catch (writeError) {
        // The caller must see the loader's error, not a failure to cache it.
        core.events.emit('cache-error', {
          key,
          tier: 'l1',
          operation: 'negative-set',
          error: toCacheError(writeError, 'negative caching'),
        });
      }
    }
    throw error;
  }
  if (value !== undefined && !flight.invalidated) {
    await writeEntry(core, key, createEntry(core, value, options, false), versions);
  }
  return value;
}
