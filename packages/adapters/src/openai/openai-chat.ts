import type { ChatModel, ModelCapabilities } from '@agenticgen/core';
import type OpenAI from 'openai';
import type { ChatAdapterOptions, ProviderDriver } from '../shared/chat-model-runtime.js';
import type { SdkLoader } from '../shared/provider-sdk.js';
import type { SseEvent } from '../shared/sse-decoder.js';
import {
  ChatCompletionChunkMapper,
  type ChatCompletionsDialect,
  fromChatCompletion,
  toChatCompletionsBody,
} from './openai-chat-mapping.js';
import type { OpenAIConnectionOptions, OpenAISdk } from './openai-client.js';
import { createOpenAIDriverModel, openAIEventStream, requestHeaders } from './openai-driver-model.js';

export { guessContextWindow } from './openai-driver-model.js';

/** Options of the OpenAI Chat Completions adapter. */
export interface OpenAIChatModelOptions extends OpenAIConnectionOptions, ChatAdapterOptions {
  /** Model id, e.g. `gpt-4.1-mini`. */
  modelId: string;
}

/** OpenAI through the Chat Completions API; `loadSdk` imports `openai` (see ../shared/provider-sdk.ts). */
export function createOpenAIChatModel(options: OpenAIChatModelOptions, loadSdk: SdkLoader<OpenAISdk>): ChatModel {
  return createChatCompletionsModel(options, loadSdk, {
    provider: 'openai',
    maxTokensField: 'max_completion_tokens',
    strictJsonSchema: true,
  });
}

/** Options of the OpenAI-compatible adapter (Ollama, vLLM, llama.cpp server, LM Studio, gateways). */
export interface OpenAICompatibleChatModelOptions extends OpenAIConnectionOptions, ChatAdapterOptions {
  /** Model id as the server names it, e.g. `llama3.2`. */
  modelId: string;
  /** Base URL of the server's OpenAI-compatible API, e.g. `http://localhost:11434/v1`. */
  baseURL: string;
  /** Provider name reported by the model and used as `providerOptions` key (default `openai-compatible`). */
  provider?: string;
  /** Use OpenAI strict schemas for structured output (default false: most servers take plain JSON Schema). */
  strictJsonSchema?: boolean;
  /** Send `max_completion_tokens` instead of `max_tokens` (default false). */
  useMaxCompletionTokens?: boolean;
}

/** An OpenAI-compatible server through the `openai` SDK with a base URL; `loadSdk` imports `openai`. */
export function createOpenAICompatibleModel(
  options: OpenAICompatibleChatModelOptions,
  loadSdk: SdkLoader<OpenAISdk>,
): ChatModel {
  return createChatCompletionsModel(
    { ...options, apiKey: options.apiKey ?? 'not-needed' },
    loadSdk,
    {
      provider: options.provider ?? 'openai-compatible',
      maxTokensField: options.useMaxCompletionTokens === true ? 'max_completion_tokens' : 'max_tokens',
      strictJsonSchema: options.strictJsonSchema ?? false,
    },
    // Local servers: unknown context size, vision depends on the model; callers override. Many of them ignore or
    // refuse `json_schema` response formats, so structured output (core's generateObject, agent output) asks for
    // JSON mode with the schema in the instructions and validates; `capabilities: { structuredOutput: true }` for a
    // server that enforces JSON Schema.
    { vision: false, contextWindow: 8192, structuredOutput: false },
  );
}

function createChatCompletionsModel(
  options: OpenAIChatModelOptions,
  loadSdk: SdkLoader<OpenAISdk>,
  dialect: ChatCompletionsDialect,
  defaults: Partial<ModelCapabilities> = {},
): ChatModel {
  const driver: ProviderDriver<OpenAI, SseEvent[], OpenAI.ChatCompletion> = {
    provider: dialect.provider,
    modelId: options.modelId,
    async generate(client, request, signal) {
      const body = toChatCompletionsBody(options.modelId, request, dialect);
      return client.chat.completions.create(body as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming, {
        signal,
        ...requestHeaders(request),
      });
    },
    readAnswer: fromChatCompletion,
    async openStream(client, request, signal) {
      const body = {
        ...toChatCompletionsBody(options.modelId, request, dialect),
        stream: true,
        stream_options: { include_usage: true },
      };
      const response = await client.chat.completions
        .create(body as unknown as OpenAI.ChatCompletionCreateParamsStreaming, { signal, ...requestHeaders(request) })
        .asResponse();
      return openAIEventStream(response, new ChatCompletionChunkMapper());
    },
  };
  return createOpenAIDriverModel(driver, options, loadSdk, defaults);
}

/** @deprecated Use `OpenAICompatibleChatModelOptions` (named after its factory); this alias is removed in the next minor release. */
export type OpenAICompatibleModelOptions = OpenAICompatibleChatModelOptions;
