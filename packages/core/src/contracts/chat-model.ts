/**
 * The chat model contract. Adapters (OpenAI, Anthropic, Gemini, OpenAI-compatible, the offline demo model,
 * `MockChatModel`) implement it; agents, the model manager and the LLM cache consume it.
 */

/** JSON Schema as plain data (draft 2020-12 subset the providers accept). */
export type JsonSchema = Record<string, unknown>;

/** A text part of a message. */
export interface TextPart {
  /** Discriminator. */
  type: 'text';
  /** The text. */
  text: string;
}

/** An image input. */
export interface ImagePart {
  /** Discriminator. */
  type: 'image';
  /** Raw bytes, a `data:` URL or an `https:` URL (adapters convert to what the provider accepts). */
  image: Uint8Array | string;
  /** IANA media type, e.g. `image/png`; required with raw bytes. */
  mediaType?: string;
}

/** Model reasoning ("thinking") returned by providers that expose it. */
export interface ReasoningPart {
  /** Discriminator. */
  type: 'reasoning';
  /** The reasoning text. */
  text: string;
  /** Provider signature that must be sent back unchanged (Anthropic thinking blocks). */
  signature?: string;
}

/** A tool call made by the model. */
export interface ToolCallPart {
  /** Discriminator. */
  type: 'tool-call';
  /** Provider-assigned id that the matching tool result must carry. */
  toolCallId: string;
  /** The tool's name. */
  toolName: string;
  /** Parsed arguments (the raw JSON text when it did not parse). */
  input: unknown;
}

/** The result of a tool call, sent back to the model. */
export interface ToolResultPart {
  /** Discriminator. */
  type: 'tool-result';
  /** The id of the call this answers. */
  toolCallId: string;
  /** The tool's name. */
  toolName: string;
  /** JSON-serialisable output (errors included, as structured data). */
  output: unknown;
  /** True when `output` describes a failure (invalid arguments, timeout, thrown error). */
  isError?: boolean;
}

/** A message of the conversation. */
export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | Array<TextPart | ImagePart> }
  | { role: 'assistant'; content: string | Array<TextPart | ReasoningPart | ToolCallPart> }
  | { role: 'tool'; content: ToolResultPart[] };

/** A tool as the model sees it: name, description and JSON Schema of its parameters. */
export interface ToolSpec {
  /** Unique name, `^[a-zA-Z0-9_-]{1,64}$`. */
  name: string;
  /** What the tool does and when to use it; the model reads this. */
  description: string;
  /** JSON Schema of the arguments object. */
  parameters: JsonSchema;
  /** Ask the provider to enforce the schema exactly (OpenAI strict mode) where supported. */
  strict?: boolean;
}

/** How the model may use tools. */
export type ToolChoice = 'auto' | 'none' | 'required' | { type: 'tool'; toolName: string };

/** Requested output format. */
export type ResponseFormat =
  | { type: 'text' }
  | {
      /** Discriminator: JSON output. */
      type: 'json';
      /** The schema the JSON must satisfy; without one, any JSON object. */
      schema?: JsonSchema;
      /** Schema name (providers that require one get `response` by default). */
      name?: string;
      /** Schema description for the model. */
      description?: string;
    };

/** One call to a chat model. */
export interface ChatRequest {
  /** The conversation so far. System messages may appear first. */
  messages: ChatMessage[];
  /** Tools the model may call. */
  tools?: ToolSpec[];
  /** How the model may use tools (default `auto` when tools are given). */
  toolChoice?: ToolChoice;
  /** Allow several tool calls in one step (default: provider default, usually true). */
  parallelToolCalls?: boolean;
  /** Structured output. */
  responseFormat?: ResponseFormat;
  /** Sampling temperature. */
  temperature?: number;
  /** Nucleus sampling. */
  topP?: number;
  /** Output token limit. */
  maxOutputTokens?: number;
  /** Stop sequences. */
  stopSequences?: string[];
  /** Seed for providers that support deterministic sampling. */
  seed?: number;
  /** Cancels the request, including the underlying HTTP request. */
  signal?: AbortSignal;
  /** Per-request timeout in milliseconds (an AgenticGen `timeout` error when hit). */
  timeoutMs?: number;
  /** Extra HTTP headers. */
  headers?: Record<string, string>;
  /** Provider-specific options keyed by provider name, passed through as they are. */
  providerOptions?: Record<string, Record<string, unknown>>;
}

/** Token accounting. */
export interface Usage {
  /** Prompt tokens. */
  inputTokens: number;
  /** Completion tokens (reasoning included). */
  outputTokens: number;
  /** `inputTokens + outputTokens` unless the provider says otherwise. */
  totalTokens: number;
  /** Reasoning tokens, where reported. */
  reasoningTokens?: number;
  /** Prompt tokens served from the provider's prompt cache, where reported. */
  cachedInputTokens?: number;
}

/** Why generation stopped. */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

/** A complete (non-streamed) answer. */
export interface ChatResponse {
  /** The concatenated text parts. */
  text: string;
  /** All parts in order: text, reasoning, tool calls. */
  content: Array<TextPart | ReasoningPart | ToolCallPart>;
  /** The tool calls, in order. */
  toolCalls: ToolCallPart[];
  /** Why generation stopped. */
  finishReason: FinishReason;
  /** Token usage. */
  usage: Usage;
  /** The model that answered (as reported by the provider). */
  modelId: string;
  /** Estimated cost in US dollars, when a price is known. */
  costUsd?: number;
  /** Provider response id and other raw details. */
  providerMetadata?: Record<string, unknown>;
}

/** One part of a streamed answer. Tool calls arrive as start, argument deltas, end. */
export type ChatStreamPart =
  | {
      /** The provider accepted the request; comes first when the provider reports the model or a response id. */
      type: 'response-start';
      /** The model that answers (may differ from the requested id). */
      modelId: string;
      /** The provider's response id, when it sends one. */
      id?: string;
    }
  | {
      /** A piece of the answer text. */
      type: 'text-delta';
      /** The new text. */
      delta: string;
    }
  | {
      /** A piece of the model's reasoning. */
      type: 'reasoning-delta';
      /** The new reasoning text. */
      delta: string;
      /** Signature that closes a reasoning block (Anthropic); the next delta starts a new block. */
      signature?: string;
    }
  | {
      /** A tool call begins; argument deltas follow. */
      type: 'tool-call-start';
      /** The call's id (the adapter makes one up when the provider sends none). */
      toolCallId: string;
      /** The tool to call. */
      toolName: string;
    }
  | {
      /** A piece of a tool call's argument JSON. */
      type: 'tool-call-delta';
      /** The call the arguments belong to. */
      toolCallId: string;
      /** The new argument text (raw JSON, possibly incomplete). */
      argumentsDelta: string;
    }
  | {
      /** A tool call is complete. */
      type: 'tool-call-end';
      /** The call's id. */
      toolCallId: string;
      /** The tool to call. */
      toolName: string;
      /** The parsed arguments (the raw text when they are not JSON). */
      input: unknown;
    }
  | {
      /** Token usage so far (some providers report it before `finish`). */
      type: 'usage';
      /** Tokens used. */
      usage: Usage;
    }
  | {
      /** The last part of every stream. */
      type: 'finish';
      /** Why generation stopped. */
      finishReason: FinishReason;
      /** Tokens used by the whole call. */
      usage: Usage;
      /** Cost in US dollars, when the adapter knows the model's price. */
      costUsd?: number;
      /** Provider-specific data (response id, fallbacks of a routing model, cache hits, …). */
      providerMetadata?: Record<string, unknown>;
    };

/** What a model can do; used by the model manager to select models. */
export interface ModelCapabilities {
  /** Supports tool calling. */
  tools: boolean;
  /** Accepts image inputs. */
  vision: boolean;
  /** Supports JSON-schema structured output. */
  structuredOutput: boolean;
  /** Supports streaming. */
  streaming: boolean;
  /** Context window in tokens. */
  contextWindow: number;
  /** Maximum output tokens. */
  maxOutputTokens?: number;
  /** Emits reasoning parts. */
  reasoning?: boolean;
}

/** A chat model. */
export interface ChatModel {
  /** Provider name: `openai`, `anthropic`, `gemini`, `openai-compatible`, `demo`, `mock`, … */
  readonly provider: string;
  /** The provider's model id, e.g. `gpt-4.1-mini`. */
  readonly modelId: string;
  /** What the model can do. */
  readonly capabilities: ModelCapabilities;
  /** Generates a complete answer. Rejects with an AgenticGenError. */
  generate(request: ChatRequest): Promise<ChatResponse>;
  /**
   * Streams an answer. The iterable ends after a `finish` part; errors are thrown from the iterator as
   * AgenticGenErrors. Breaking out of the loop or aborting `request.signal` cancels the HTTP request.
   */
  stream(request: ChatRequest): AsyncIterable<ChatStreamPart>;
}
