/**
 * `@agenticgen/adapters/gemini`: Gemini chat and embeddings through `@google/genai`. The SDK is an optional
 * peer: this entry imports it lazily, and is the only module that names it, so a bundle that never imports this
 * entry never has to resolve it.
 */
import type { ChatModel, EmbeddingModel } from '@agenticgen/core';
import type { GeminiEmbeddingModelOptions } from '../embeddings/gemini-embedding.js';
import * as embedding from '../embeddings/gemini-embedding.js';
import type { GeminiChatModelOptions } from './gemini-chat.js';
import * as chat from './gemini-chat.js';
import type { GeminiSdk } from './gemini-client.js';

export type { GeminiEmbeddingModelOptions } from '../embeddings/gemini-embedding.js';
export type { GeminiChatModelOptions } from './gemini-chat.js';
export type { GeminiClient, GeminiConnectionOptions } from './gemini-client.js';

const loadSdk = (): Promise<GeminiSdk> => import('@google/genai');

/**
 * Gemini through `@google/genai` (generateContent / streamGenerateContent?alt=sse). Thoughts arrive as
 * reasoning parts when `providerOptions.gemini.thinkingConfig.includeThoughts` is set.
 */
export function createGeminiChatModel(options: GeminiChatModelOptions): ChatModel {
  return chat.createGeminiModel(options, loadSdk);
}

/**
 * Gemini embeddings through `batchEmbedContents`, up to 100 inputs per request. Vectors shorter than the
 * model's native size are not normalised by Gemini, so the adapter normalises them (option `normalize`).
 */
export function createGeminiEmbeddingModel(options: GeminiEmbeddingModelOptions): EmbeddingModel {
  return embedding.createGeminiEmbeddingModel(options, loadSdk);
}

/** @deprecated Use `createGeminiChatModel` (one `create<Provider>ChatModel` scheme, like `createOpenAIChatModel`); this alias is removed in the next minor release. */
export const createGeminiModel = createGeminiChatModel;
export type { GeminiModelOptions } from './gemini-chat.js';
