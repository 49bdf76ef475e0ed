import { createMemoryStore } from '@agenticgen/core';
import { runStoreContractSuite } from '../testing/store-suite.js';

// The memory store lives in core (for tests everywhere); its contract is checked here with every driver.
runStoreContractSuite('memory', () => createMemoryStore(), { completesWhenCalled: true });
