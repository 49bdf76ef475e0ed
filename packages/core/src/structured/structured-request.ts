import type {
  ChatMessage,
  ChatModel,
  ChatRequest,
  ChatResponse,
  FinishReason,
  JsonSchema,
  Usage,
} from '../contracts/chat-model.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { formatIssues, type ValidationIssue } from '../schema/validator.js';
import type { OutputStrategy } from './output-strategy.js';

/**
 * How the answer is asked for:
 * - `json`: the provider's native structured output (OpenAI `json_schema`, Anthropic structured output,
 *   Gemini `responseJsonSchema`); on a model without it, JSON mode plus the schema in the instructions;
 * - `tool`: one forced tool call whose arguments are the answer;
 * - `auto` (default): `json`.
 */
export type StructuredMode = 'auto' | 'json' | 'tool';

/** What every structured call takes besides its schema. */
export interface StructuredCallOptions {
  /** The model. */
  model: ChatModel;
  /** A user prompt (used when `messages` is not given). */
  prompt?: string;
  /** The conversation; appended after `system`. */
  messages?: ChatMessage[];
  /** System instructions. */
  system?: string;
  /** How to ask for the answer (default `auto`). */
  mode?: StructuredMode;
  /** Name of the schema for providers that take one (default `response`). */
  schemaName?: string;
  /** What the answer is, for the model. */
  schemaDescription?: string;
  /** Extra calls with the validation errors fed back when an answer does not validate (default 1). */
  maxOutputRepairs?: number;
  /**
   * @deprecated Use `maxOutputRepairs` (the agent's name for the idea); `maxOutputRepairs` wins when both are
   * given. Removed in the next minor release.
   */
  maxRepairs?: number;
  /** The JSON Schema to send, when the schema library cannot produce one. */
  jsonSchema?: JsonSchema;
  /** Cancels the call. */
  signal?: AbortSignal;
  /** Sampling temperature. */
  temperature?: number;
  /** Nucleus sampling. */
  topP?: number;
  /** Output token limit per call. */
  maxOutputTokens?: number;
  /** Seed for deterministic sampling where supported. */
  seed?: number;
  /** Per-call timeout in ms. */
  timeoutMs?: number;
  /** Extra HTTP headers. */
  headers?: Record<string, string>;
  /** Provider-specific options. */
  providerOptions?: Record<string, Record<string, unknown>>;
}

/** A request ready to send, and how to read its answer. */
export interface StructuredPlan {
  readonly request: ChatRequest;
  /** `json-prompt`: JSON mode with the schema in the instructions (models without native structured output). */
  readonly mode: 'json' | 'json-prompt' | 'tool';
  /** The forced tool's name in `tool` mode. */
  readonly toolName: string;
  /** Extra calls allowed for invalid answers (`maxOutputRepairs`, or its deprecated alias `maxRepairs`). */
  readonly maxRepairs: number;
}

const maxErrorTextLength = 8_192;

export function planStructuredRequest(
  options: StructuredCallOptions,
  strategy: OutputStrategy<unknown>,
  scope: string,
): StructuredPlan {
  const mode = options.mode ?? 'auto';
  if (mode !== 'auto' && mode !== 'json' && mode !== 'tool') {
    throw new AgenticGenError('invalid-argument', `[${scope}] mode must be auto, json or tool`);
  }
  const repairsName = options.maxOutputRepairs !== undefined ? 'maxOutputRepairs' : 'maxRepairs';
  const maxRepairs = options.maxOutputRepairs ?? options.maxRepairs ?? 1;
  if (!(Number.isInteger(maxRepairs) && maxRepairs >= 0)) {
    throw new AgenticGenError('invalid-argument', `[${scope}] ${repairsName} must be an integer ≥ 0`);
  }
  const { model } = options;
  const name = options.schemaName ?? 'response';
  const messages: ChatMessage[] = [];
  let resolved: StructuredPlan['mode'] =
    mode === 'tool' ? 'tool' : model.capabilities.structuredOutput ? 'json' : 'json-prompt';
  if (resolved === 'tool' && strategy.jsonSchema === undefined) resolved = 'json-prompt';
  if (resolved === 'tool' && !model.capabilities.tools) {
    throw new AgenticGenError(
      'unsupported',
      `[${scope}] ${model.provider}:${model.modelId} has no tool calling: use mode json`,
    );
  }
  const system = [options.system, resolved === 'json-prompt' ? jsonInstructions(strategy.jsonSchema) : undefined]
    .filter((part): part is string => part !== undefined && part !== '')
    .join('\n\n');
  if (system !== '') messages.push({ role: 'system', content: system });
  if (options.messages !== undefined) messages.push(...options.messages);
  else if (options.prompt !== undefined) messages.push({ role: 'user', content: options.prompt });
  else throw new AgenticGenError('invalid-argument', `[${scope}] give a prompt or messages`);

  const request: ChatRequest = { messages };
  if (resolved === 'tool') {
    request.tools = [
      {
        name,
        description: options.schemaDescription ?? 'Respond with the answer as the arguments of this tool.',
        parameters: strategy.jsonSchema as JsonSchema,
      },
    ];
    request.toolChoice = { type: 'tool', toolName: name };
  } else {
    request.responseFormat =
      resolved === 'json' && strategy.jsonSchema !== undefined
        ? {
            type: 'json',
            schema: strategy.jsonSchema,
            name,
            ...(options.schemaDescription === undefined ? {} : { description: options.schemaDescription }),
          }
        : { type: 'json' };
  }
  for (const key of [
    'signal',
    'temperature',
    'topP',
    'maxOutputTokens',
    'seed',
    'timeoutMs',
    'headers',
    'providerOptions',
  ] as const) {
    if (options[key] !== undefined) (request as unknown as Record<string, unknown>)[key] = options[key];
  }
  return { request, mode: resolved, toolName: name, maxRepairs };
}

function jsonInstructions(schema: JsonSchema | undefined): string {
  return schema === undefined
    ? 'Answer with one JSON object and nothing else.'
    : `Answer with one JSON value and nothing else (no Markdown fence, no comment). It must match this JSON Schema:\n${JSON.stringify(schema)}`;
}

/** The answer's JSON text (tool arguments in tool mode). */
export function answerText(response: ChatResponse, plan: StructuredPlan): string {
  if (plan.mode !== 'tool') return response.text;
  const call = response.toolCalls.find((candidate) => candidate.toolName === plan.toolName);
  if (call === undefined) return '';
  return typeof call.input === 'string' ? call.input : JSON.stringify(call.input);
}

export type ParsedAnswer = { ok: true; value: unknown } | { ok: false; issues: ValidationIssue[] };

/** Parses a model's JSON text: plain JSON, JSON in a Markdown fence, or JSON after a preamble. */
export function parseJsonAnswer(text: string): ParsedAnswer {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, issues: [{ path: '', expected: 'a JSON answer', received: 'nothing' }] };
  const candidates = [trimmed];
  const fenced = /```(?:json)?\s*\n?([\s\S]*?)```/.exec(trimmed);
  if (fenced?.[1] !== undefined) candidates.push(fenced[1].trim());
  const start = trimmed.search(/[[{]/);
  const end = Math.max(trimmed.lastIndexOf('}'), trimmed.lastIndexOf(']'));
  if (start >= 0 && end > start) candidates.push(trimmed.slice(start, end + 1));
  let reason = '';
  for (const candidate of candidates) {
    try {
      return { ok: true, value: JSON.parse(candidate) };
    } catch (error) {
      reason ||= error instanceof Error ? error.message : String(error);
    }
  }
  return {
    ok: false,
    issues: [{ path: '', expected: `valid JSON (${reason.slice(0, 120)})`, received: bounded(trimmed, 200) }],
  };
}

/** The messages that feed validation errors back to the model for one more try. */
export function repairMessages(
  plan: StructuredPlan,
  response: ChatResponse,
  issues: readonly ValidationIssue[],
): ChatMessage[] {
  const problems = formatIssues(issues);
  const call =
    plan.mode === 'tool' ? response.toolCalls.find((candidate) => candidate.toolName === plan.toolName) : undefined;
  if (call !== undefined) {
    return [
      { role: 'assistant', content: [call] },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: call.toolCallId,
            toolName: call.toolName,
            output: {
              error: `The arguments do not match the schema: ${problems}. Call the tool again with corrected arguments.`,
            },
            isError: true,
          },
        ],
      },
    ];
  }
  return [
    { role: 'assistant', content: response.text },
    {
      role: 'user',
      content: `Your answer does not match the required schema: ${problems}. Answer again with the corrected JSON only.`,
    },
  ];
}

/** True when the provider refused to answer (OpenAI `refusal`, Anthropic `refusal` stop reason, filters). */
export function isRefusal(finishReason: FinishReason, response: Pick<ChatResponse, 'providerMetadata'>): boolean {
  return finishReason === 'content-filter' || typeof response.providerMetadata?.refusal === 'string';
}

export function refusalError(scope: string, text: string, usage: Usage, refusal: unknown): AgenticGenError {
  const reason = typeof refusal === 'string' ? refusal : text;
  return new AgenticGenError('output-refused', `[${scope}] the model refused to answer: ${bounded(reason, 200)}`, {
    data: { text: bounded(reason, maxErrorTextLength), usage },
  });
}

export function invalidOutputError(
  scope: string,
  text: string,
  issues: readonly ValidationIssue[],
  usage: Usage,
  attempts: number,
  finishReason: FinishReason,
): AgenticGenError {
  const cut = finishReason === 'length' ? ' (the answer was cut at the output token limit: raise maxOutputTokens)' : '';
  return new AgenticGenError(
    'invalid-output',
    `[${scope}] the answer does not match the schema after ${attempts} attempt(s)${cut}: ${bounded(formatIssues(issues), 500)}`,
    {
      data: {
        text: bounded(text, maxErrorTextLength),
        textLength: text.length,
        issues: issues.slice(0, 20),
        usage,
        attempts,
      },
    },
  );
}

function bounded(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}
