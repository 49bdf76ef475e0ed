/**
 * `@agenticgen/adapters/testing`: the contract suites every chat adapter passes, for adapters written outside
 * this repository. Point a `ContractTarget` at a fake server that speaks your provider's wire protocol (the
 * OpenAI, Anthropic and Gemini ones: `@agenticgen/adapters/testing/fake-servers`, Node only; start them in a
 * vitest global setup to reach them from a browser project too). vitest is an optional peer: only the testing
 * entries import it.
 */
export { type ContractCase, type ContractTarget, runChatModelContractSuite } from './contract-suite.js';
export { type ScriptedTurn, scriptFakeServer } from './fake-server-script.js';
export { runChatModelFaultSuite } from './fault-contract-suite.js';
export { runStructuredOutputSuite, type StructuredOutputTarget } from './structured-output-suite.js';
