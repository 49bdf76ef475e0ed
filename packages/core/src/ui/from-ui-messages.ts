import type { ApprovalDecision } from '../agents/types.js';
import type {
  ChatMessage,
  ImagePart,
  ReasoningPart,
  TextPart,
  ToolCallPart,
  ToolResultPart,
} from '../contracts/chat-model.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';

/** Bounds on what a client may post; every one is checked before anything reaches a model. */
export interface FromUIMessagesLimits {
  /** Messages per request (default 200). */
  maxMessages?: number;
  /** Parts per message (default 200). */
  maxPartsPerMessage?: number;
  /** Characters of text, URLs and JSON values, summed over the whole conversation (default 2,000,000). */
  maxTotalCharacters?: number;
  /**
   * @deprecated Use `maxTotalCharacters` (no abbreviations in public names, as the loaders); it wins when both are
   * given. Removed in the next minor release.
   */
  maxTotalChars?: number;
  /** Nesting depth of tool inputs and outputs (default 32). */
  maxJsonDepth?: number;
}

/** What a posted conversation becomes. */
export interface FromUIMessagesResult {
  /** The conversation as core messages (tool calls without a result yet are left out). */
  messages: ChatMessage[];
  /** Decisions the person took on tool approval requests, by tool call id (feed to `agent.resumeStream`). */
  approvals: Record<string, ApprovalDecision>;
  /** The run id of the last `data-suspended` part, when the last assistant message was a suspended run. */
  suspendedRunId?: string;
}

const defaults = { maxMessages: 200, maxPartsPerMessage: 200, maxTotalCharacters: 2_000_000, maxJsonDepth: 32 };
const toolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

/** A short, bounded rendering of an offending value for error messages (never the value itself). */
function describe(value: unknown): string {
  if (typeof value === 'string')
    return value.length > 40 ? `a ${value.length}-character string` : JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : typeof value;
}

class Reader {
  private chars = 0;
  constructor(readonly limits: typeof defaults) {}

  fail(path: string, problem: string): never {
    throw new AgenticGenError('invalid-argument', `[ui] ${path} ${problem}`, { data: { path } });
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(path, `must be an object, got ${describe(value)}`);
    return value as Record<string, unknown>;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string') this.fail(path, `must be a string, got ${describe(value)}`);
    this.count(value.length, path);
    return value;
  }

  optionalString(value: unknown, path: string): string | undefined {
    return value === undefined ? undefined : this.string(value, path);
  }

  count(chars: number, path: string): void {
    this.chars += chars;
    if (this.chars > this.limits.maxTotalCharacters)
      this.fail(path, `exceeds the limit of ${this.limits.maxTotalCharacters} characters per conversation`);
  }

  /** Checks a value is plain JSON within the depth and size limits, and returns a fresh copy of it. */
  json(value: unknown, path: string, depth = 0): unknown {
    if (depth > this.limits.maxJsonDepth) this.fail(path, `is nested deeper than ${this.limits.maxJsonDepth} levels`);
    if (value === null || typeof value === 'boolean') return value;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) this.fail(path, 'must be a finite number');
      this.count(8, path);
      return value;
    }
    if (typeof value === 'string') return this.string(value, path);
    if (Array.isArray(value)) {
      this.count(value.length + 2, path);
      return value.map((item, index) => this.json(item, `${path}[${index}]`, depth + 1));
    }
    if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        this.count(key.length + 2, path);
        Object.defineProperty(copy, key, {
          value: this.json(item, `${path}.<key>`, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return copy;
    }
    return this.fail(path, `must be JSON data, got ${describe(value)}`);
  }
}

type AssistantContent = Array<TextPart | ReasoningPart | ToolCallPart>;

function userPart(reader: Reader, part: Record<string, unknown>, path: string): TextPart | ImagePart | undefined {
  if (part.type === 'text') return { type: 'text', text: reader.string(part.text, `${path}.text`) };
  if (part.type === 'file') {
    const mediaType = reader.string(part.mediaType, `${path}.mediaType`);
    const url = reader.string(part.url, `${path}.url`);
    reader.optionalString(part.filename, `${path}.filename`);
    if (!/^image\/[a-z0-9.+-]+$/i.test(mediaType))
      reader.fail(`${path}.mediaType`, `is ${describe(mediaType)}; only image files are supported`);
    if (!/^(data:|https:)/i.test(url)) reader.fail(`${path}.url`, 'must be a data: or https: URL');
    return { type: 'image', image: url, mediaType };
  }
  return undefined;
}

/** Reads one tool part of an assistant message into the current step's call and result. */
function toolPart(
  reader: Reader,
  part: Record<string, unknown>,
  path: string,
  result: FromUIMessagesResult,
  step: { content: AssistantContent; results: ToolResultPart[] },
): void {
  const type = part.type as string;
  const toolName = type === 'dynamic-tool' ? reader.string(part.toolName, `${path}.toolName`) : type.slice(5);
  if (!toolNamePattern.test(toolName)) reader.fail(`${path}.type`, 'names an invalid tool');
  const toolCallId = reader.string(part.toolCallId, `${path}.toolCallId`);
  if (toolCallId === '' || toolCallId.length > 200) reader.fail(`${path}.toolCallId`, 'must have 1 to 200 characters');
  const state = reader.string(part.state, `${path}.state`);
  if (state === 'input-streaming') return; // an unfinished call: nothing the model can continue from
  const input = reader.json(part.input ?? {}, `${path}.input`);
  const call: ToolCallPart = { type: 'tool-call', toolCallId, toolName, input };
  /** A call that ran (or was denied): the call and its result both go into the step. */
  const finished = (output: unknown, isError?: true) => {
    step.content.push(call);
    step.results.push({ type: 'tool-result', toolCallId, toolName, output, ...(isError ? { isError } : {}) });
  };
  switch (state) {
    case 'input-available':
    case 'approval-requested':
      return;
    case 'approval-responded': {
      const approval = reader.object(part.approval, `${path}.approval`);
      if (typeof approval.approved !== 'boolean') reader.fail(`${path}.approval.approved`, 'must be a boolean');
      const reason = reader.optionalString(approval.reason, `${path}.approval.reason`);
      result.approvals[toolCallId] = approval.approved
        ? { approved: true }
        : { approved: false, ...(reason === undefined ? {} : { reason }) };
      return;
    }
    case 'output-available':
      finished(reader.json(part.output ?? null, `${path}.output`));
      return;
    case 'output-error':
      finished({ error: { message: reader.string(part.errorText, `${path}.errorText`) } }, true);
      return;
    case 'output-denied':
      finished({ error: { code: 'tool-denied', message: 'a person denied this call' } }, true);
      return;
    default:
      reader.fail(`${path}.state`, `is ${describe(state)}, not a tool part state`);
  }
}

function assistantMessages(
  reader: Reader,
  parts: readonly unknown[],
  path: string,
  result: FromUIMessagesResult,
): ChatMessage[] {
  const messages: ChatMessage[] = [];
  let step = { content: [] as AssistantContent, results: [] as ToolResultPart[] };
  const flush = () => {
    if (step.content.length > 0) messages.push({ role: 'assistant', content: step.content });
    if (step.results.length > 0) messages.push({ role: 'tool', content: step.results });
    step = { content: [], results: [] };
  };
  parts.forEach((raw, index) => {
    const partPath = `${path}.parts[${index}]`;
    const part = reader.object(raw, partPath);
    const type = reader.string(part.type, `${partPath}.type`);
    if (type === 'step-start') flush();
    else if (type === 'text') step.content.push({ type: 'text', text: reader.string(part.text, `${partPath}.text`) });
    else if (type === 'reasoning')
      reader.string(part.text, `${partPath}.text`); // shown to people, not replayed
    else if (type.startsWith('tool-') || type === 'dynamic-tool') toolPart(reader, part, partPath, result, step);
    else if (type === 'data-suspended') {
      const data = reader.object(part.data, `${partPath}.data`);
      result.suspendedRunId = reader.string(data.runId, `${partPath}.data.runId`);
    } else if (!(type.startsWith('data-') || type === 'source-url' || type === 'source-document' || type === 'file'))
      reader.fail(`${partPath}.type`, `is ${describe(type)}, not a UI message part type`);
  });
  flush();
  return messages;
}

/**
 * Turns the `UIMessage[]` a chat client posts (`useChat`, `createChatClient`) into core messages, checking
 * every field and limit first. Malformed input is an `invalid-argument` error (answer it with HTTP 400); its
 * message names the path of the first problem and never echoes the input.
 */
export function fromUIMessages(input: unknown, limits: FromUIMessagesLimits = {}): FromUIMessagesResult {
  // Typed explicitly so `reader.fail` (returns never) narrows `input`.
  const { maxTotalChars, ...given } = limits;
  const reader: Reader = new Reader({
    ...defaults,
    ...(maxTotalChars === undefined ? {} : { maxTotalCharacters: maxTotalChars }),
    ...given,
  });
  if (!Array.isArray(input)) reader.fail('messages', `must be an array, got ${describe(input)}`);
  if (input.length === 0) reader.fail('messages', 'must not be empty');
  if (input.length > reader.limits.maxMessages)
    reader.fail('messages', `has ${input.length} messages; the limit is ${reader.limits.maxMessages}`);
  const result: FromUIMessagesResult = { messages: [], approvals: {} };
  input.forEach((raw, index) => {
    const path = `messages[${index}]`;
    const message = reader.object(raw, path);
    reader.string(message.id, `${path}.id`);
    if (!Array.isArray(message.parts)) reader.fail(`${path}.parts`, `must be an array, got ${describe(message.parts)}`);
    const parts: unknown[] = message.parts;
    if (parts.length > reader.limits.maxPartsPerMessage)
      reader.fail(`${path}.parts`, `has ${parts.length} parts; the limit is ${reader.limits.maxPartsPerMessage}`);
    delete result.suspendedRunId;
    result.approvals = {};
    if (message.role === 'assistant') {
      result.messages.push(...assistantMessages(reader, parts, path, result));
      return;
    }
    if (message.role !== 'user' && message.role !== 'system')
      reader.fail(`${path}.role`, `is ${describe(message.role)}; expected user, assistant or system`);
    const content: Array<TextPart | ImagePart> = [];
    parts.forEach((raw, partIndex) => {
      const partPath = `${path}.parts[${partIndex}]`;
      const part = reader.object(raw, partPath);
      const type = reader.string(part.type, `${partPath}.type`);
      const converted = userPart(reader, part, partPath);
      if (converted !== undefined) content.push(converted);
      else if (!type.startsWith('data-'))
        reader.fail(`${partPath}.type`, `is ${describe(type)}, not allowed in a ${message.role} message`);
    });
    if (message.role === 'system') {
      if (content.some((part) => part.type !== 'text'))
        reader.fail(`${path}.parts`, 'of a system message must be text');
      result.messages.push({ role: 'system', content: content.map((part) => (part as TextPart).text).join('') });
    } else if (content.length > 0) result.messages.push({ role: 'user', content });
  });
  return result;
}
