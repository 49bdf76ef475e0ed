import type { ChatMessage, ChatModel, ChatRequest, ChatResponse, ToolCallPart } from '../contracts/chat-model.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import type { ValidationIssue } from '../schema/validator.js';
import type { AnySchema } from '../structured/output-schema.js';
import { createOutputStrategy, type OutputStrategy } from '../structured/output-strategy.js';
import {
  answerText,
  isRefusal,
  parseJsonAnswer,
  refusalError,
  repairMessages,
  type StructuredMode,
  type StructuredPlan,
} from '../structured/structured-request.js';

/**
 * An agent with `output` ends its run with a validated object instead of free text. Tools run first as
 * usual; the final answer is asked for with the provider's native structured output (`json`), JSON mode and
 * instructions on models without it (`json-prompt`), or a `final_answer` tool the model calls (`tool`).
 */
export interface AgentOutputPlan {
  readonly strategy: OutputStrategy<unknown>;
  readonly mode: StructuredPlan['mode'];
  /** The final-answer tool's name in `tool` mode. */
  readonly toolName: string;
  readonly maxRepairs: number;
}

export type AgentOutputCheck =
  | { ok: true; value: unknown; text: string }
  | { ok: false; issues: ValidationIssue[]; text: string };

const finalAnswerTool = 'final_answer';

export function planAgentOutput(options: {
  output?: AnySchema;
  outputMode?: StructuredMode;
  maxOutputRepairs?: number;
  model: ChatModel;
  name: string;
}): AgentOutputPlan | undefined {
  if (options.output === undefined) return undefined;
  const scope = `agents ${options.name}`;
  const strategy = createOutputStrategy<unknown>({ kind: 'object', schema: options.output, scope });
  const mode = options.outputMode ?? 'auto';
  if (mode !== 'auto' && mode !== 'json' && mode !== 'tool') {
    throw new AgenticGenError('invalid-config', `[${scope}] outputMode must be auto, json or tool`);
  }
  const maxRepairs = options.maxOutputRepairs ?? 1;
  if (!(Number.isInteger(maxRepairs) && maxRepairs >= 0)) {
    throw new AgenticGenError('invalid-config', `[${scope}] maxOutputRepairs must be an integer ≥ 0`);
  }
  const resolved: AgentOutputPlan['mode'] =
    mode === 'tool' ? 'tool' : options.model.capabilities.structuredOutput ? 'json' : 'json-prompt';
  return { strategy, mode: resolved, toolName: finalAnswerTool, maxRepairs };
}

/** Adds what asks for the structured answer to one step's request. */
export function applyOutputPlan(plan: AgentOutputPlan, request: ChatRequest): void {
  const schema = plan.strategy.jsonSchema ?? { type: 'object' };
  if (plan.mode === 'tool') {
    request.tools = [
      ...(request.tools ?? []),
      {
        name: plan.toolName,
        description: 'Give your final answer as the arguments of this tool, once you have everything you need.',
        parameters: schema,
      },
    ];
    // The run ends only through the final-answer tool, so every step must call a tool.
    request.toolChoice = 'required';
    return;
  }
  if (plan.mode === 'json') {
    request.responseFormat = { type: 'json', schema, name: 'output' };
    return;
  }
  request.responseFormat = { type: 'json' };
  const instructions = `When you give your final answer, answer with one JSON value and nothing else. It must match this JSON Schema:\n${JSON.stringify(schema)}`;
  const [first, ...rest] = request.messages;
  request.messages =
    first?.role === 'system'
      ? [{ role: 'system', content: `${first.content}\n\n${instructions}` }, ...rest]
      : [{ role: 'system', content: instructions }, ...request.messages];
}

/** The final-answer tool call of a step in `tool` mode. */
export function finalAnswerCall(plan: AgentOutputPlan, response: ChatResponse): ToolCallPart | undefined {
  return plan.mode === 'tool' ? response.toolCalls.find((call) => call.toolName === plan.toolName) : undefined;
}

/** Reads and validates the structured answer of the last step; a refusal throws `output-refused`. */
export async function checkAgentOutput(
  plan: AgentOutputPlan,
  response: ChatResponse,
  scope: string,
  usage: ChatResponse['usage'],
): Promise<AgentOutputCheck> {
  const text = answerText(response, structuredPlan(plan));
  if (isRefusal(response.finishReason, response))
    throw refusalError(scope, text, usage, response.providerMetadata?.refusal);
  const parsed = parseJsonAnswer(text);
  const checked = parsed.ok ? await plan.strategy.finalize(parsed.value) : parsed;
  return checked.ok ? { ok: true, value: checked.value, text } : { ok: false, issues: checked.issues, text };
}

/** The message that feeds validation errors back (the assistant turn itself is already in the conversation). */
export function outputRepairMessage(
  plan: AgentOutputPlan,
  response: ChatResponse,
  issues: readonly ValidationIssue[],
): ChatMessage {
  return repairMessages(structuredPlan(plan), response, issues)[1] as ChatMessage;
}

function structuredPlan(plan: AgentOutputPlan): StructuredPlan {
  return { request: { messages: [] }, mode: plan.mode, toolName: plan.toolName, maxRepairs: plan.maxRepairs };
}
