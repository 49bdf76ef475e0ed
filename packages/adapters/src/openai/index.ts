/**
 * `@agenticgen/adapters/openai`: OpenAI (Chat Completions, Responses, embeddings) and OpenAI-compatible servers
 * through the `openai` SDK. The SDK is an optional peer: this entry imports it lazily, and is the only module
 * that names it, so a bundle that never imports this entry never has to resolve `openai`.
 */
import type { ChatModel, EmbeddingModel } from '@agenticgen/core';
import type { OpenAIEmbeddingModelOptions } from '../embeddings/openai-embedding.js';
import * as embedding from '../embeddings/openai-embedding.js';
import type { OpenAIChatModelOptions, OpenAICompatibleChatModelOptions } from './openai-chat.js';
import * as chat from './openai-chat.js';
import type { OpenAISdk } from './openai-client.js';
import type { OpenAIResponsesChatModelOptions } from './openai-responses.js';
import * as responses from './openai-responses.js';

export type { OpenAIEmbeddingModelOptions } from '../embeddings/openai-embedding.js';
export type { OpenAIChatModelOptions, OpenAICompatibleChatModelOptions } from './openai-chat.js';
export type { OpenAIClient, OpenAIConnectionOptions } from './openai-client.js';
export type { OpenAIResponsesChatModelOptions } from './openai-responses.js';

const loadSdk = (): Promise<OpenAISdk> => import('openai');

/** OpenAI through the Chat Completions API (`/v1/chat/completions`). */
export function createOpenAIChatModel(options: OpenAIChatModelOptions): ChatModel {
  return chat.createOpenAIChatModel(options, loadSdk);
}

/** An OpenAI-compatible server (Ollama, vLLM, llama.cpp server, LM Studio, gateways) through the `openai` SDK. */
export function createOpenAICompatibleChatModel(options: OpenAICompatibleChatModelOptions): ChatModel {
  return chat.createOpenAICompatibleModel(options, loadSdk);
}

/**
 * OpenAI through the Responses API (`/v1/responses`): reasoning summaries stream as reasoning deltas.
 * Requests are stateless (the whole conversation is sent each time); pass
 * `providerOptions.openai.previous_response_id` / `store` to use server-side state.
 */
export function createOpenAIResponsesChatModel(options: OpenAIResponsesChatModelOptions): ChatModel {
  return responses.createOpenAIResponsesModel(options, loadSdk);
}

/** OpenAI embeddings (`/v1/embeddings`), batched up to 2048 inputs per request. */
export function createOpenAIEmbeddingModel(options: OpenAIEmbeddingModelOptions): EmbeddingModel {
  return embedding.createOpenAIEmbeddingModel(options, loadSdk);
}

/** @deprecated Use `createOpenAICompatibleChatModel` (one `create<Provider>ChatModel` scheme, like `createOpenAIChatModel`); this alias is removed in the next minor release. */
export const createOpenAICompatibleModel = createOpenAICompatibleChatModel;

/** @deprecated Use `createOpenAIResponsesChatModel` (one `create<Provider>ChatModel` scheme, like `createOpenAIChatModel`); this alias is removed in the next minor release. */
export const createOpenAIResponsesModel = createOpenAIResponsesChatModel;
export type { OpenAICompatibleModelOptions } from './openai-chat.js';
export type { OpenAIResponsesModelOptions } from './openai-responses.js';
