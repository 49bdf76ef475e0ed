import { Type } from '@sinclair/typebox';
import { compileSchema } from '../schema/validator.js';
import type { AgentRunState } from './types.js';

const usage = Type.Object({
  inputTokens: Type.Number(),
  outputTokens: Type.Number(),
  totalTokens: Type.Number(),
  reasoningTokens: Type.Optional(Type.Number()),
  cachedInputTokens: Type.Optional(Type.Number()),
});

const record = Type.Object({
  toolCallId: Type.String(),
  toolName: Type.String(),
  input: Type.Unknown(),
  output: Type.Unknown(),
  isError: Type.Boolean(),
  durationMs: Type.Number(),
});

const message = Type.Object(
  { role: Type.Union([Type.Literal('system'), Type.Literal('user'), Type.Literal('assistant'), Type.Literal('tool')]) },
  { additionalProperties: true },
);

/** The TypeBox schema of `AgentRunState`, used to reject corrupted or foreign state before resuming. */
export const agentRunStateSchema = Type.Object({
  version: Type.Literal(1),
  runId: Type.String({ minLength: 1 }),
  agentName: Type.String({ minLength: 1 }),
  messages: Type.Array(message, { minItems: 1 }),
  step: Type.Integer({ minimum: 1 }),
  usage,
  steps: Type.Array(
    Type.Object({
      step: Type.Integer(),
      text: Type.String(),
      finishReason: Type.String(),
      usage,
      toolCalls: Type.Array(record),
      durationMs: Type.Number(),
    }),
    { minItems: 1 },
  ),
  pendingApprovals: Type.Array(
    Type.Object({ toolCallId: Type.String(), toolName: Type.String(), input: Type.Unknown() }),
    { minItems: 1 },
  ),
  completedToolCalls: Type.Array(record),
  conversationId: Type.Optional(Type.String()),
  inputStart: Type.Integer({ minimum: 0 }),
});

const validator = compileSchema(agentRunStateSchema);

/** Validates a state read back from storage; throws `invalid-argument` naming every problem. */
export function parseRunState(input: unknown): AgentRunState {
  return validator.parse(input, { scope: 'agents', code: 'invalid-argument', what: 'run state' }) as AgentRunState;
}
