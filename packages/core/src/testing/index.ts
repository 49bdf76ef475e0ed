/**
 * @agenticgen/core/testing — helpers for tests of code built on AgenticGen (not for production bundles).
 */
export { type ApprovalAgentOptions, createApprovalAgent } from './approval-agent.js';
export { type ArithmeticSandboxOptions, createArithmeticSandbox } from './arithmetic-sandbox.js';
export { checkAsyncResource } from './async-resource-checks.js';
export {
  type MockCall,
  MockChatModel,
  type MockChatModelOptions,
  type MockResponse,
  type MockScriptEntry,
  type MockToolCall,
} from './mock-chat-model.js';
export { createSeededRandom } from './seeded-random.js';
