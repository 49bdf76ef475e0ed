import type { ChatModel } from '@agenticgen/core';
import type OpenAI from 'openai';
import type { ChatAdapterOptions, ProviderDriver } from '../shared/chat-model-runtime.js';
import type { SdkLoader } from '../shared/provider-sdk.js';
import type { SseEvent } from '../shared/sse-decoder.js';
import type { OpenAIConnectionOptions, OpenAISdk } from './openai-client.js';
import { createOpenAIDriverModel, openAIEventStream, requestHeaders } from './openai-driver-model.js';
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
  const driver: ProviderDriver<OpenAI, SseEvent[], OpenAI.Responses.Response> = {
    provider: 'openai',
    modelId: options.modelId,
    async generate(client, request, signal) {
      assertNoStopSequences(request);
      const body = toResponsesBody(options.modelId, request);
      return client.responses.create(body as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming, {
        signal,
        ...requestHeaders(request),
      });
    },
    readAnswer: fromResponse,
    async openStream(client, request, signal) {
      assertNoStopSequences(request);
      const body = { ...toResponsesBody(options.modelId, request), stream: true };
      const response = await client.responses
        .create(body as unknown as OpenAI.Responses.ResponseCreateParamsStreaming, {
          signal,
          ...requestHeaders(request),
        })
        .asResponse();
      return openAIEventStream(response, new ResponseEventMapper());
    },
  };
  return createOpenAIDriverModel(driver, options, loadSdk, { reasoning: /^(o\d|gpt-5)/.test(options.modelId) });
}

/** @deprecated Use `OpenAIResponsesChatModelOptions` (named after its factory); this alias is removed in the next minor release. */
export type OpenAIResponsesModelOptions = OpenAIResponsesChatModelOptions;
