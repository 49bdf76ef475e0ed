/** Test helpers: the contract suite every store driver runs (import from `@agenticgen/store/testing`). */
export { runStoreContractSuite, type StoreContractSuiteOptions } from './testing/store-suite.js';
