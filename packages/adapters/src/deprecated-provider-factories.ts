/**
 * The provider factories as the main entry exported them before the provider entries existed. They load the
 * SDK by a name bundlers do not read (shared/provider-sdk.ts), so importing anything from the main entry never
 * makes a bundler resolve an optional SDK. Node, Deno and Bun resolve the name at run time; a bundled browser
 * app must import from the provider entry instead (the error says so).
 */
import type { ChatModel, EmbeddingModel } from '@agenticgen/core';
import type { AnthropicModelOptions, AnthropicSdk } from './anthropic/anthropic-messages.js';
import * as anthropic from './anthropic/anthropic-messages.js';
import type { GeminiEmbeddingModelOptions } from './embeddings/gemini-embedding.js';
import * as geminiEmbedding from './embeddings/gemini-embedding.js';
import type { OpenAIEmbeddingModelOptions } from './embeddings/openai-embedding.js';
import * as openAIEmbedding from './embeddings/openai-embedding.js';
import type { GeminiModelOptions } from './gemini/gemini-chat.js';
import * as gemini from './gemini/gemini-chat.js';
import type { GeminiSdk } from './gemini/gemini-client.js';
import type { OpenAIChatModelOptions, OpenAICompatibleModelOptions } from './openai/openai-chat.js';
import * as openAIChat from './openai/openai-chat.js';
import type { OpenAISdk } from './openai/openai-client.js';
import type { OpenAIResponsesModelOptions } from './openai/openai-responses.js';
import * as openAIResponses from './openai/openai-responses.js';
import { importByName } from './shared/provider-sdk.js';

// Arrow functions, not calls at the top level, so a bundle that uses none of these factories drops them all.
const loadOpenAI = () => importByName<OpenAISdk>('openai');
const loadAnthropic = () => importByName<AnthropicSdk>('@anthropic-ai/sdk');
const loadGemini = () => importByName<GeminiSdk>('@google/genai');

/** @deprecated Import `createOpenAIChatModel` from `@agenticgen/adapters/openai` (bundlers need it). */
export function createOpenAIChatModel(options: OpenAIChatModelOptions): ChatModel {
  return openAIChat.createOpenAIChatModel(options, loadOpenAI);
}

/** @deprecated Import `createOpenAICompatibleModel` from `@agenticgen/adapters/openai` (bundlers need it). */
export function createOpenAICompatibleModel(options: OpenAICompatibleModelOptions): ChatModel {
  return openAIChat.createOpenAICompatibleModel(options, loadOpenAI);
}

/** @deprecated Import `createOpenAIResponsesModel` from `@agenticgen/adapters/openai` (bundlers need it). */
export function createOpenAIResponsesModel(options: OpenAIResponsesModelOptions): ChatModel {
  return openAIResponses.createOpenAIResponsesModel(options, loadOpenAI);
}

/** @deprecated Import `createOpenAIEmbeddingModel` from `@agenticgen/adapters/openai` (bundlers need it). */
export function createOpenAIEmbeddingModel(options: OpenAIEmbeddingModelOptions): EmbeddingModel {
  return openAIEmbedding.createOpenAIEmbeddingModel(options, loadOpenAI);
}

/** @deprecated Import `createAnthropicModel` from `@agenticgen/adapters/anthropic` (bundlers need it). */
export function createAnthropicModel(options: AnthropicModelOptions): ChatModel {
  return anthropic.createAnthropicModel(options, loadAnthropic);
}

/** @deprecated Import `createGeminiModel` from `@agenticgen/adapters/gemini` (bundlers need it). */
export function createGeminiModel(options: GeminiModelOptions): ChatModel {
  return gemini.createGeminiModel(options, loadGemini);
}

/** @deprecated Import `createGeminiEmbeddingModel` from `@agenticgen/adapters/gemini` (bundlers need it). */
export function createGeminiEmbeddingModel(options: GeminiEmbeddingModelOptions): EmbeddingModel {
  return geminiEmbedding.createGeminiEmbeddingModel(options, loadGemini);
}
