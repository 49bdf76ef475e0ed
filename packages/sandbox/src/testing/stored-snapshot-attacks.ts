/**
 * The attack suite on sessions restored from a snapshot an earlier sandbox stored (a later CLI run in Node, a
 * later page load in Chromium): one sandbox warms up and stores its snapshot, then every sandbox of the suite
 * must start from it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SnapshotCacheEvent } from '../host/sandbox-events.js';
import type { AttackEnvironment } from './attack-environment.js';
import { runAttackSuite } from './attack-suite.js';

/** `environment` creates sandboxes sharing one snapshot cache; `removeCache` deletes it after the suite. */
export function runAttackSuiteOnStoredSnapshot(environment: AttackEnvironment, removeCache: () => unknown): void {
  const outcomes: SnapshotCacheEvent[] = [];

  beforeAll(async () => {
    const maker = environment.createSandbox();
    try {
      await maker.warmUp();
    } finally {
      await maker.dispose();
    }
  }, 120_000);

  afterAll(async () => {
    await removeCache();
  });

  runAttackSuite({
    ...environment,
    createSandbox: (options) => {
      const sandbox = environment.createSandbox(options);
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
}
