/**
 * @agenticgen/adapters — OpenAI (Chat Completions and Responses), Anthropic (Messages), Gemini and
 * OpenAI-compatible models through the official SDKs; embeddings; the model manager and model comparison.
 * This file only re-exports the public surface.
 */
export {
  type AnthropicChatModelOptions,
  type AnthropicModelOptions,
  createAnthropicChatModel,
  createAnthropicModel,
} from './anthropic/anthropic-messages.js';
export {
  type CompareModelsOptions,
  compareModels,
  type ModelComparison,
  type ModelComparisonResult,
} from './compare/compare-models.js';
export {
  createOfflineDemoModel,
  type OfflineDemoModelOptions,
  offlineDemoToolNames,
} from './demo/offline-demo-model.js';
export { createGeminiEmbeddingModel, type GeminiEmbeddingModelOptions } from './embeddings/gemini-embedding.js';
export { createOpenAIEmbeddingModel, type OpenAIEmbeddingModelOptions } from './embeddings/openai-embedding.js';
export {
  createGeminiChatModel,
  createGeminiModel,
  type GeminiChatModelOptions,
  type GeminiModelOptions,
} from './gemini/gemini-chat.js';
export type { GeminiConnectionOptions } from './gemini/gemini-client.js';
export type { LimiterClock } from './manager/limits.js';
export type { ModelHealthOptions } from './manager/model-health.js';
export {
  type AnsweringModel,
  createModelManager,
  type FallbackRecord,
  type ModelEntry,
  type ModelManager,
  type ModelManagerEvent,
  type ModelManagerOptions,
} from './manager/model-manager.js';
export { defaultTokenEstimate, type ModelRequirements } from './manager/model-selection.js';
export type { ResponseCacheOptions } from './manager/response-cache.js';
export {
  createOpenAIChatModel,
  createOpenAICompatibleChatModel,
  createOpenAICompatibleModel,
  type OpenAIChatModelOptions,
  type OpenAICompatibleChatModelOptions,
  type OpenAICompatibleModelOptions,
} from './openai/openai-chat.js';
export type { OpenAIConnectionOptions } from './openai/openai-client.js';
export {
  createOpenAIResponsesChatModel,
  createOpenAIResponsesModel,
  type OpenAIResponsesChatModelOptions,
  type OpenAIResponsesModelOptions,
} from './openai/openai-responses.js';
export {
  type CohereCompatibleRankerOptions,
  createCohereCompatibleRanker,
} from './rerank/cohere-compatible-ranker.js';
export type { ChatAdapterOptions, ProviderDriver } from './shared/chat-model-runtime.js';
export { createChatModelFromDriver } from './shared/chat-model-runtime.js';
export type { EmbeddingAdapterOptions } from './shared/embedding-runtime.js';
export {
  createPriceTable,
  defaultPrices,
  estimateCost,
  findPrice,
  type ModelPrice,
  type PriceTable,
} from './shared/pricing.js';
export { retryAfterFrom, toProviderError } from './shared/provider-errors.js';
export type { RetryEvent, RetryOptions } from './shared/retry.js';
export { responseToParts, StreamCollector } from './shared/stream-collect.js';
