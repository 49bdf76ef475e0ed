export * from './agent-factory.js';
export * from './agent-manager.js';
export * from './create-agent.js';
export {
  createDurableAgent,
  type DurableAgent,
  type DurableResumeOptions,
  type DurableRunOptions,
  type DurableRunResult,
  type UnknownOutcomeCall,
  type UnknownOutcomeDecision,
} from './durable-agent.js';
export type { AgentRun } from './event-stream.js';
export { defineInputGuardrail, defineOutputGuardrail, defineToolCallGuardrail } from './guardrails.js';
export * from './memory.js';
export * from './presets/index.js';
export {
  createMemoryResumeTokenStore,
  type MemoryResumeTokenStoreOptions,
  type ResumeTokenStore,
} from './resume-tokens.js';
export type { AgentCheckpointState, CheckpointPhase, LedgerCall, RunDurability } from './run-durability.js';
export { agentRunStateSchema, parseRunState } from './run-state.js';
export * from './stop-conditions.js';
export type * from './types.js';
