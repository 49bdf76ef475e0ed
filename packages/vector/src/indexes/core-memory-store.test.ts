import { createMemoryVectorStore } from '@agenticgen/core';
import { runVectorStoreSuite } from '@agenticgen/vector/testing';

// Core's brute-force store (the default of a knowledge base) keeps the same contract as this package's indexes;
// it lives in core, which cannot import this suite, so it runs here, through the published testing entry.
runVectorStoreSuite('core memory store', async (options) => createMemoryVectorStore(options));
