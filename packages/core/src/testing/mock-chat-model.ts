import type {
  ChatModel,
  ChatRequest,
  ChatResponse,
  ChatStreamPart,
  FinishReason,
  ModelCapabilities,
  Usage,
} from '../contracts/chat-model.js';
import { combineSignals, delay, throwIfAborted } from '../errors/abort.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { collectStream } from '../models/collect-stream.js';
import { partsFromResponse } from '../models/stream-from-response.js';

/** One scripted tool call. */
export interface MockToolCall {
  /** The tool to call. */
  toolName: string;
  /** Its arguments; a string is sent as raw argument text (to script malformed JSON). */
  input: unknown;
  /** The call id (default `call_<response>_<index>`). */
  toolCallId?: string;
}

/** One scripted answer. Content fields build a normal answer; `parts` replays exact stream parts instead. */
export interface MockResponse {
  /** Answer text. */
  text?: string;
  /** Structured output: serialised as the answer text (after `text`, if both are given). */
  object?: unknown;
  /** Reasoning emitted before the text. */
  reasoning?: string;
  /** Signature of the reasoning block. */
  reasoningSignature?: string;
  /** Tool calls emitted after the text. */
  toolCalls?: MockToolCall[];
  /** Token usage; missing fields are estimated (about four characters per token). */
  usage?: Partial<Usage>;
  /** Finish reason (default `tool-calls` when there are tool calls, else `stop`). */
  finishReason?: FinishReason;
  /** Exact stream parts to replay; the content fields above are ignored. */
  parts?: ChatStreamPart[];
  /** Split text and tool arguments into deltas of this many characters (default 8). */
  chunkSize?: number;
  /** Wait this long before the first part (honours the request's signal and timeout). */
  delayMs?: number;
  /** Wait this long between parts. */
  partDelayMs?: number;
  /** Fail the call with this error: before any part, or after `errorAfterParts` parts when streaming. */
  error?: unknown;
  /** How many parts to stream before throwing `error` (default 0). */
  errorAfterParts?: number;
  /** The model id reported in the answer (default: the mock's `modelId`). */
  modelId?: string;
  /** Cost reported with the answer. */
  costUsd?: number;
}

/** A script entry: an answer, a plain text answer, or a function of the request. */
export type MockScriptEntry =
  | MockResponse
  | string
  | ((request: ChatRequest, callIndex: number) => MockResponse | string);

export interface MockChatModelOptions {
  /** Answers in call order. When they run out the mock throws `mock-exhausted`, unless `repeatLast`. */
  responses?: MockScriptEntry[];
  /** Keep answering with the last entry once the script is used up. */
  repeatLast?: boolean;
  /** Model id (default `mock-model`). */
  modelId?: string;
  /** Provider name (default `mock`). */
  provider?: string;
  /** Capability overrides. */
  capabilities?: Partial<ModelCapabilities>;
}

/** A recorded call. */
export interface MockCall {
  /** Which method was called. */
  method: 'generate' | 'stream';
  /** The request, with its `messages` array copied at call time. */
  request: ChatRequest;
}

/**
 * A scripted `ChatModel` for tests: it answers from a script (text, reasoning, tool calls with argument deltas,
 * usage, errors, delays), honours `signal` and `timeoutMs`, and records every request for assertions.
 * `generate` and `stream` play the same script, so one test can cover both paths.
 */
export class MockChatModel implements ChatModel {
  readonly provider: string;
  readonly modelId: string;
  readonly capabilities: ModelCapabilities;
  /** Every call in order. */
  readonly calls: MockCall[] = [];
  readonly #script: MockScriptEntry[];
  readonly #repeatLast: boolean;
  /** Next script entry; advances only when a call finds an entry, so `enqueue` after exhaustion works. */
  #cursor = 0;

  constructor(options: MockChatModelOptions = {}) {
    this.provider = options.provider ?? 'mock';
    this.modelId = options.modelId ?? 'mock-model';
    this.capabilities = {
      tools: true,
      vision: true,
      structuredOutput: true,
      streaming: true,
      contextWindow: 128_000,
      reasoning: true,
      ...options.capabilities,
    };
    this.#script = [...(options.responses ?? [])];
    this.#repeatLast = options.repeatLast ?? false;
  }

  /** The requests received, in order. */
  get requests(): ChatRequest[] {
    return this.calls.map((call) => call.request);
  }

  /** The last request received. */
  get lastRequest(): ChatRequest | undefined {
    return this.calls[this.calls.length - 1]?.request;
  }

  /** Appends answers to the script. */
  enqueue(...entries: MockScriptEntry[]): this {
    this.#script.push(...entries);
    return this;
  }

  generate(request: ChatRequest): Promise<ChatResponse> {
    const parts = this.#play(request, this.#record(request, 'generate'));
    return collectStream(parts, { modelId: this.modelId });
  }

  stream(request: ChatRequest): AsyncIterable<ChatStreamPart> {
    // Recorded at call time, not at first iteration, so assertions right after `stream()` see it.
    return this.#play(request, this.#record(request, 'stream'));
  }

  #record(request: ChatRequest, method: MockCall['method']): number {
    this.calls.push({ method, request: { ...request, messages: [...request.messages] } });
    return this.calls.length - 1;
  }

  async *#play(request: ChatRequest, index: number): AsyncGenerator<ChatStreamPart, void, undefined> {
    const guard = combineSignals(`mock ${this.modelId}`, request.signal, request.timeoutMs);
    const scope = `mock ${this.modelId}`;
    try {
      throwIfAborted(guard.signal, scope);
      const script = this.#entryFor(index, request);
      if (script.delayMs !== undefined && script.delayMs > 0) await delay(script.delayMs, guard.signal, scope);
      const parts = script.parts ?? this.#partsOf(script, index, request);
      const failAt = script.error === undefined ? -1 : (script.errorAfterParts ?? 0);
      for (let position = 0; position < parts.length; position++) {
        if (position === failAt) throw script.error;
        if (position > 0 && script.partDelayMs !== undefined && script.partDelayMs > 0) {
          await delay(script.partDelayMs, guard.signal, scope);
        }
        throwIfAborted(guard.signal, scope);
        yield parts[position] as ChatStreamPart;
      }
      if (failAt >= parts.length) throw script.error;
    } finally {
      guard.dispose();
    }
  }

  #entryFor(index: number, request: ChatRequest): MockResponse {
    let entry = this.#script[this.#cursor];
    if (entry !== undefined) this.#cursor++;
    else if (this.#repeatLast) entry = this.#script[this.#script.length - 1];
    if (entry === undefined) {
      throw new AgenticGenError(
        'mock-exhausted',
        `[testing] MockChatModel got call #${index + 1} but its script has no answer left (${this.#script.length} scripted); add more with responses or enqueue()`,
        { data: { calls: index + 1, scripted: this.#script.length } },
      );
    }
    const resolved = typeof entry === 'function' ? entry(request, index) : entry;
    return typeof resolved === 'string' ? { text: resolved } : resolved;
  }

  #partsOf(script: MockResponse, index: number, request: ChatRequest): ChatStreamPart[] {
    const content: ChatResponse['content'] = [];
    if (script.reasoning !== undefined) {
      content.push(
        script.reasoningSignature === undefined
          ? { type: 'reasoning', text: script.reasoning }
          : { type: 'reasoning', text: script.reasoning, signature: script.reasoningSignature },
      );
    }
    const text = (script.text ?? '') + (script.object === undefined ? '' : JSON.stringify(script.object));
    if (text !== '') content.push({ type: 'text', text });
    const toolCalls = (script.toolCalls ?? []).map((call, callIndex) => ({
      type: 'tool-call' as const,
      toolCallId: call.toolCallId ?? `call_${index}_${callIndex}`,
      toolName: call.toolName,
      input: call.input,
    }));
    content.push(...toolCalls);
    const inputTokens = script.usage?.inputTokens ?? estimateTokens(JSON.stringify(request.messages));
    const outputTokens =
      script.usage?.outputTokens ??
      estimateTokens(
        (script.reasoning ?? '') + text + toolCalls.map((call) => JSON.stringify(call.input) ?? '').join(''),
      );
    const usage: Usage = {
      ...script.usage,
      inputTokens,
      outputTokens,
      totalTokens: script.usage?.totalTokens ?? inputTokens + outputTokens,
    };
    const response: ChatResponse = {
      text,
      content,
      toolCalls,
      finishReason: script.finishReason ?? (toolCalls.length > 0 ? 'tool-calls' : 'stop'),
      usage,
      modelId: script.modelId ?? this.modelId,
    };
    if (script.costUsd !== undefined) response.costUsd = script.costUsd;
    return partsFromResponse(response, { chunkSize: script.chunkSize ?? 8 });
  }
}

function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
