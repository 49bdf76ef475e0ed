/**
 * `@agenticgen/vector/testing`: the VectorStore contract suite, for stores written outside this repository
 * (`runVectorStoreSuite('my-store', (options) => createMyStore(options))` in a vitest test file). vitest is an
 * optional peer: only this entry imports it.
 */
export {
  runVectorStoreSuite,
  type StoreFactoryOptions,
  type SuiteOptions,
  suiteMetadataFields,
} from './vector-store-suite.js';
