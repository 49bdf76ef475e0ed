import { runAttackSuite } from '../testing/attack-suite.js';
import { nodeAttackEnvironment } from '../testing/node-attack-environment.js';

// Sessions restored from the snapshot this process makes; attacks-persisted.node.test.ts covers stored ones.
runAttackSuite(nodeAttackEnvironment({ snapshotCache: false }));
