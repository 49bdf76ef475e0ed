import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeAttackEnvironment } from '../testing/node-attack-environment.js';
import { runAttackSuiteOnStoredSnapshot } from '../testing/stored-snapshot-attacks.js';

/** The attack suite on sessions restored from a snapshot another sandbox process stored (a later CLI run). */
const directory = mkdtempSync(join(tmpdir(), 'agenticgen-attack-snapshots-'));

runAttackSuiteOnStoredSnapshot(nodeAttackEnvironment({ snapshotCache: { directory } }), () =>
  rmSync(directory, { recursive: true, force: true }),
);
