import type { ChatModel, ModelCapabilities } from '@agenticgen/core';
import type OpenAI from 'openai';
import {
  type ChatAdapterOptions,
  createChatModelFromDriver,
  type ProviderDriver,
} from '../shared/chat-model-runtime.js';
import type { OpenedStream, StreamMapper } from '../shared/managed-stream.js';
import { defaultPrices } from '../shared/pricing.js';
import type { SdkLoader } from '../shared/provider-sdk.js';
import type { SseEvent } from '../shared/sse-decoder.js';
import { readOpenAIEvent, SseJsonMapper, sseEventBatches } from '../shared/sse-stream.js';
import { type OpenAIConnectionOptions, type OpenAISdk, openAIClientFactory } from './openai-client.js';

/** What both OpenAI adapters (Chat Completions and Responses) are built from. */
export interface OpenAIDriverModelOptions extends OpenAIConnectionOptions, ChatAdapterOptions {
  modelId: string;
}

/**
 * A chat model over one of OpenAI's APIs. Both share the client, the pricing table and the base capabilities;
 * `apiCapabilities` says what the API adds, and the caller's `capabilities` win over both.
 */
export function createOpenAIDriverModel<Answer>(
  driver: ProviderDriver<OpenAI, SseEvent[], Answer>,
  options: OpenAIDriverModelOptions,
  loadSdk: SdkLoader<OpenAISdk>,
  apiCapabilities: Partial<ModelCapabilities>,
): ChatModel {
  const capabilities: ModelCapabilities = {
    tools: true,
    vision: true,
    structuredOutput: true,
    streaming: true,
    contextWindow: guessContextWindow(options.modelId),
    ...apiCapabilities,
    ...options.capabilities,
  };
  return createChatModelFromDriver(
    driver,
    openAIClientFactory(options, loadSdk),
    capabilities,
    options,
    options.prices ?? defaultPrices,
  );
}

/**
 * The SSE body of an OpenAI stream response, decoded here rather than by the SDK (see shared/sse-decoder.ts);
 * the SDK only sends the request and maps HTTP errors.
 */
export function openAIEventStream<Event>(response: Response, mapper: StreamMapper<Event>): OpenedStream<SseEvent[]> {
  return {
    events: sseEventBatches(response, 'adapters:openai'),
    mapper: new SseJsonMapper(mapper, readOpenAIEvent<Event>(response.headers)),
  };
}

/** The per-request headers as the SDK's request options take them. */
export function requestHeaders(request: { headers?: Record<string, string> }): { headers?: Record<string, string> } {
  return request.headers === undefined ? {} : { headers: request.headers };
}

/** Context windows of well-known OpenAI models; unknown ones get a conservative 128k. */
export function guessContextWindow(modelId: string): number {
  if (modelId.startsWith('gpt-4.1')) return 1_047_576;
  if (/^(o3|o4|o1)/.test(modelId)) return 200_000;
  return 128_000;
}
