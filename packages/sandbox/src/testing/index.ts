/**
 * `@agenticgen/sandbox/testing`: the attack suite every sandbox configuration must survive (escapes, resource
 * exhaustion, state tampering), for hosts that configure or wrap the sandbox outside this repository:
 * `runAttackSuite({ createSandbox: (options) => createSandbox({ ...mine, ...options }) })` in a vitest test file.
 * vitest is an optional peer: only this entry imports it.
 */
export { type AttackEnvironment, attackLimits, runAttackSuite } from './attack-suite.js';
