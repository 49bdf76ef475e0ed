/**
 * `@agenticgen/cache/testing`: the contract every L2 driver passes, for drivers written outside this repository
 * (`runCacheDriverSuite('my-driver', () => createMyDriver())` in a vitest test file). vitest is an optional peer:
 * only this entry imports it.
 */
export { type CacheDriverSuiteOptions, runCacheDriverSuite } from './drivers/driver-suite.js';
