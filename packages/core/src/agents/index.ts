export {
  type AgentConfig,
  type AgentResources,
  agentConfigSchema,
  createAgentFromConfig,
  parseAgentConfig,
} from './agent-factory.js';
export { type AgentBuilder, AgentManager, type RegisteredAgentInfo } from './agent-manager.js';
export {
  type Agent,
  type AgentInput,
  type AgentRunWithEventsOptions,
  type CreateAgentOptions,
  createAgent,
} from './create-agent.js';
export {
  createDurableAgent,
  type DurableAgent,
  type DurableResumeOptions,
  type DurableRunOptions,
  type DurableRunResult,
  type UnknownOutcomeCall,
  type UnknownOutcomeDecision,
} from './durable-agent.js';
export { type AgentRun, streamRun } from './event-stream.js';
export { defineInputGuardrail, defineOutputGuardrail, defineToolCallGuardrail } from './guardrails.js';
export type { AgentCheckpointState, CheckpointPhase } from './loop-state.js';
export {
  type CacheConversationMemoryOptions,
  type ConversationMemory,
  createCacheConversationMemory,
  createInMemoryConversationMemory,
  estimateTokens,
  type MemoryOptions,
  trimToBudget,
} from './memory.js';
export {
  type Citation,
  type CodingAgent,
  type CodingAgentOptions,
  type CreativeAgentOptions,
  citationsOf,
  createCodingAgent,
  createCreativeAgent,
  createResearchAgent,
  creativeSamplingDefaults,
  knowledgeSearchToolName,
  type ResearchAgentOptions,
} from './presets/index.js';
export {
  createMemoryResumeTokenStore,
  type MemoryResumeTokenStoreOptions,
  type ResumeTokenStore,
} from './resume-tokens.js';
export type { LedgerCall, RunDurability } from './run-durability.js';
export { agentRunStateSchema, parseRunState } from './run-state.js';
export { hasToolCall, stepCountIs } from './stop-conditions.js';
export type {
  AgentEvent,
  AgentOptions,
  AgentResult,
  AgentRunOptions,
  AgentRunState,
  ApprovalDecision,
  GuardrailContext,
  GuardrailResult,
  GuardrailVerdict,
  InputGuardrail,
  OutputGuardrail,
  PendingApproval,
  RunStatus,
  SamplingSettings,
  StepResult,
  StopCondition,
  StopConditionContext,
  ToolCallGuardrail,
  ToolCallRecord,
} from './types.js';
