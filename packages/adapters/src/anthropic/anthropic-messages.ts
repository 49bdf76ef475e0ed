import type { ChatModel, ModelCapabilities } from '@agenticgen/core';
import type Anthropic from '@anthropic-ai/sdk';
import {
  type ChatAdapterOptions,
  createChatModelFromDriver,
  type ProviderDriver,
} from '../shared/chat-model-runtime.js';
import { defaultPrices } from '../shared/pricing.js';
import type { SdkLoader } from '../shared/provider-sdk.js';
import { sdkClientFactory, sdkClientSettings } from '../shared/sdk-client.js';
import type { SseEvent } from '../shared/sse-decoder.js';
import { readAnthropicEvent, SseJsonMapper, sseEventBatches } from '../shared/sse-stream.js';
import { fromMessage, MessageEventMapper, toMessagesBody } from './anthropic-mapping.js';

/** The `@anthropic-ai/sdk` module, as the Anthropic adapter loads it. */
export type AnthropicSdk = typeof import('@anthropic-ai/sdk');

/**
 * The part of an `@anthropic-ai/sdk` client the adapter calls; a `new Anthropic(...)` satisfies it. Declared
 * here so our published types never import the optional SDK.
 */
export interface AnthropicClient {
  readonly messages: { create(...args: never[]): unknown };
}

/** Options of the Anthropic Messages adapter. */
export interface AnthropicChatModelOptions extends ChatAdapterOptions {
  /** Model id, e.g. `claude-sonnet-4-20250514`. */
  modelId: string;
  /** An existing client; when given, the connection options are ignored. */
  client?: AnthropicClient;
  /** API key; falls back to `ANTHROPIC_API_KEY` in Node. Behind a proxy any placeholder works. */
  apiKey?: string;
  /** Base URL, e.g. your proxy. */
  baseURL?: string;
  /** Headers sent with every request (e.g. `anthropic-beta`). */
  headers?: Record<string, string>;
  /** Custom fetch. */
  fetch?: typeof fetch;
  /** Required in a browser; production keys belong behind a proxy (see docs/adapters.md). */
  dangerouslyAllowBrowser?: boolean;
  /** `max_tokens` when a request sets no `maxOutputTokens` (the API requires one). Default 4096. */
  defaultMaxOutputTokens?: number;
}

/** Anthropic through the Messages API; `loadSdk` imports `@anthropic-ai/sdk` (see ../shared/provider-sdk.ts). */
export function createAnthropicModel(options: AnthropicChatModelOptions, loadSdk: SdkLoader<AnthropicSdk>): ChatModel {
  const getClient = sdkClientFactory(
    options.client,
    loadSdk,
    '@anthropic-ai/sdk',
    (module): Anthropic => new module.default(sdkClientSettings(options, 'ANTHROPIC_API_KEY')),
  );
  const maxTokens = options.defaultMaxOutputTokens ?? 4096;
  const headersOf = (request: { headers?: Record<string, string> }) =>
    request.headers === undefined ? {} : { headers: request.headers };
  const driver: ProviderDriver<Anthropic, SseEvent[], Anthropic.Message> = {
    provider: 'anthropic',
    modelId: options.modelId,
    async generate(client, request, signal) {
      const body = toMessagesBody(options.modelId, request, maxTokens);
      return client.messages.create(body as unknown as Anthropic.MessageCreateParamsNonStreaming, {
        signal,
        ...headersOf(request),
      });
    },
    readAnswer: fromMessage,
    async openStream(client, request, signal) {
      const body = { ...toMessagesBody(options.modelId, request, maxTokens), stream: true };
      // The SDK sends the request and maps HTTP errors; the body is decoded here (see shared/sse-decoder.ts).
      const response = await client.messages
        .create(body as unknown as Anthropic.MessageCreateParamsStreaming, { signal, ...headersOf(request) })
        .asResponse();
      return {
        events: sseEventBatches(response, 'adapters:anthropic'),
        mapper: new SseJsonMapper(new MessageEventMapper(), readAnthropicEvent(response.headers)),
      };
    },
  };
  const capabilities: ModelCapabilities = {
    tools: true,
    vision: true,
    structuredOutput: true,
    streaming: true,
    reasoning: /claude-(3-7|sonnet-4|opus-4|haiku-4)/.test(options.modelId),
    contextWindow: 200_000,
    maxOutputTokens: /opus-4/.test(options.modelId) ? 32_000 : 64_000,
    ...options.capabilities,
  };
  return createChatModelFromDriver(driver, getClient, capabilities, options, options.prices ?? defaultPrices);
}

/** @deprecated Use `AnthropicChatModelOptions` (named after its factory); this alias is removed in the next minor release. */
export type AnthropicModelOptions = AnthropicChatModelOptions;
