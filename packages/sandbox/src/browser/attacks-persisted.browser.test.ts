import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SnapshotCacheEvent } from '../host/sandbox-events.js';
import type { SandboxOptions } from '../options.js';
import { attackLimits, runAttackSuite } from '../testing/attack-suite.js';
import { createTestSandbox } from '../testing/test-sandbox.js';

/** The attack suite on sessions restored from a snapshot an earlier sandbox stored (a later page load). */
const cacheName = `agenticgen-attack-snapshots-${Math.random().toString(36).slice(2)}`;
const outcomes: SnapshotCacheEvent[] = [];
const create = (options: SandboxOptions = {}) =>
  createTestSandbox({ limits: attackLimits, pool: { warm: 1 }, snapshotCache: { cacheName }, ...options } as never);

beforeAll(async () => {
  const maker = create();
  try {
    await maker.warmUp();
  } finally {
    await maker.dispose();
  }
}, 120_000);

afterAll(async () => {
  await caches.delete(cacheName);
});

runAttackSuite({
  createSandbox: (options) => {
    const sandbox = create(options);
    sandbox.events.on('snapshot-cache', (event) => {
      outcomes.push(event);
    });
    return sandbox;
  },
});

it('ran the suite on sandboxes restored from the stored snapshot', () => {
  expect(outcomes.length).toBeGreaterThan(0);
  expect(outcomes.every((event) => event.outcome === 'restored-from-cache')).toBe(true);
});
