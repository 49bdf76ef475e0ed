import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SnapshotCacheEvent } from '@agenticgen/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runAttackSuite } from '../testing/attack-suite.js';
import { nodeAttackEnvironment } from '../testing/node-attack-environment.js';

/** The attack suite on sessions restored from a snapshot another sandbox process stored (a later CLI run). */
const directory = mkdtempSync(join(tmpdir(), 'agenticgen-attack-snapshots-'));
const environment = nodeAttackEnvironment({ snapshotCache: { directory } });
const outcomes: SnapshotCacheEvent[] = [];

beforeAll(async () => {
  const maker = environment.createSandbox();
  try {
    await maker.warmUp();
  } finally {
    await maker.dispose();
  }
}, 120_000);

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
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
