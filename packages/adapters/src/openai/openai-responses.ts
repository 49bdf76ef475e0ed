import type { ChatModel, ModelCapabilities } from '@agenticgen/core';
import type OpenAI from 'openai';
import {
  type ChatAdapterOptions,
  createChatModelFromDriver,
  type ProviderDriver,
} from '../shared/chat-model-runtime.js';
import { defaultPrices } from '../shared/pricing.js';
import type { SdkLoader } from '../shared/provider-sdk.js';
import type { SseEvent } from '../shared/sse-decoder.js';
import { readOpenAIEvent, SseJsonMapper, sseEventBatches } from '../shared/sse-stream.js';
import { guessContextWindow } from './openai-chat.js';
import { type OpenAIConnectionOptions, type OpenAISdk, openAIClientFactory } from './openai-client.js';
import {
  assertNoStopSequences,
  fromResponse,
  ResponseEventMapper,
  toResponsesBody,
} from './openai-responses-mapping.js';

/** Options of the OpenAI Responses API adapter. */
export interface OpenAIResponsesChatModelOptions extends OpenAIConnectionOptions, ChatAdapterOptions {
  /** Model id, e.g. `gpt-4.1-mini` or `o4-mini`. */
  modelId: string;
}

/**
 * OpenAI through the Responses API (`/v1/responses`): reasoning summaries stream as reasoning deltas.
 * Requests are stateless (the whole conversation is sent each time); pass
 * `providerOptions.openai.previous_response_id` / `store` to use server-side state.
 */
export function createOpenAIResponsesModel(
  options: OpenAIResponsesChatModelOptions,
  loadSdk: SdkLoader<OpenAISdk>,
): ChatModel {
  const headersOf = (request: { headers?: Record<string, string> }) =>
    request.headers === undefined ? {} : { headers: request.headers };
  const driver: ProviderDriver<OpenAI, SseEvent[], OpenAI.Responses.Response> = {
    provider: 'openai',
    modelId: options.modelId,
    async generate(client, request, signal) {
      assertNoStopSequences(request);
      const body = toResponsesBody(options.modelId, request);
      return client.responses.create(body as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming, {
        signal,
        ...headersOf(request),
      });
    },
    readAnswer: fromResponse,
    async openStream(client, request, signal) {
      assertNoStopSequences(request);
      const body = { ...toResponsesBody(options.modelId, request), stream: true };
      // The SDK sends the request and maps HTTP errors; the body is decoded here (see shared/sse-decoder.ts).
      const response = await client.responses
        .create(body as unknown as OpenAI.Responses.ResponseCreateParamsStreaming, { signal, ...headersOf(request) })
        .asResponse();
      return {
        events: sseEventBatches(response, 'adapters:openai'),
        mapper: new SseJsonMapper(new ResponseEventMapper(), readOpenAIEvent(response.headers)),
      };
    },
  };
  const capabilities: ModelCapabilities = {
    tools: true,
    vision: true,
    structuredOutput: true,
    streaming: true,
    reasoning: /^(o\d|gpt-5)/.test(options.modelId),
    contextWindow: guessContextWindow(options.modelId),
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

/** @deprecated Use `OpenAIResponsesChatModelOptions` (named after its factory); this alias is removed in the next minor release. */
export type OpenAIResponsesModelOptions = OpenAIResponsesChatModelOptions;
