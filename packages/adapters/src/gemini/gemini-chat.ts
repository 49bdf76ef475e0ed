import type { ChatModel, ChatRequest, ModelCapabilities } from '@agenticgen/core';
import type { GenerateContentResponse, GoogleGenAI } from '@google/genai';
import {
  type ChatAdapterOptions,
  createChatModelFromDriver,
  type ProviderDriver,
} from '../shared/chat-model-runtime.js';
import { defaultPrices } from '../shared/pricing.js';
import type { SdkLoader } from '../shared/provider-sdk.js';
import { type GeminiConnectionOptions, type GeminiSdk, geminiClientFactory } from './gemini-client.js';
import { recordErrorHeaders } from './gemini-error-headers.js';
import {
  fromGenerateContentResponse,
  GenerateContentChunkMapper,
  toGenerateContentParameters,
} from './gemini-mapping.js';

/** Options of the Gemini adapter. */
export interface GeminiChatModelOptions extends GeminiConnectionOptions, ChatAdapterOptions {
  /** Model id, e.g. `gemini-2.5-flash`. */
  modelId: string;
}

/**
 * Gemini through `@google/genai` (generateContent / streamGenerateContent?alt=sse). Thoughts arrive as
 * reasoning parts when `providerOptions.gemini.thinkingConfig.includeThoughts` is set.
 */
export function createGeminiModel(options: GeminiChatModelOptions, loadSdk: SdkLoader<GeminiSdk>): ChatModel {
  const parametersFor = (request: ChatRequest, signal: AbortSignal) => {
    const parameters = toGenerateContentParameters(options.modelId, request, signal);
    if (options.client !== undefined) return { parameters, withHeaders: (error: unknown) => error };
    return recordErrorHeaders(parameters, options.fetch);
  };
  const driver: ProviderDriver<GoogleGenAI, GenerateContentResponse, GenerateContentResponse> = {
    provider: 'gemini',
    modelId: options.modelId,
    async generate(client, request, signal) {
      const { parameters, withHeaders } = parametersFor(request, signal);
      try {
        return await client.models.generateContent(parameters);
      } catch (error) {
        throw withHeaders(error);
      }
    },
    readAnswer: (response) => fromGenerateContentResponse(response, options.modelId),
    async openStream(client, request, signal) {
      const { parameters, withHeaders } = parametersFor(request, signal);
      let chunks: AsyncGenerator<GenerateContentResponse>;
      try {
        chunks = await client.models.generateContentStream(parameters);
      } catch (error) {
        throw withHeaders(error);
      }
      return { events: chunks, mapper: new GenerateContentChunkMapper(options.modelId) };
    },
  };
  const capabilities: ModelCapabilities = {
    tools: true,
    vision: true,
    structuredOutput: true,
    streaming: true,
    reasoning: /gemini-2\.5|gemini-3/.test(options.modelId),
    contextWindow: 1_048_576,
    maxOutputTokens: 65_536,
    ...options.capabilities,
  };
  return createChatModelFromDriver(
    driver,
    geminiClientFactory(options, loadSdk),
    capabilities,
    options,
    options.prices ?? defaultPrices,
  );
}

/** @deprecated Use `GeminiChatModelOptions` (named after its factory); this alias is removed in the next minor release. */
export type GeminiModelOptions = GeminiChatModelOptions;
