/**
 * @agenticgen/adapters — the model manager, model comparison, pricing, the offline demo model and the driver
 * runtime every provider adapter is built on. The provider factories live in their own entries
 * (`@agenticgen/adapters/openai`, `/anthropic`, `/gemini`), the only modules that name an optional provider SDK;
 * the copies below load the SDK by a name bundlers do not read and are deprecated.
 * This file only re-exports the public surface.
 */
export type { AnthropicClient, AnthropicModelOptions } from './anthropic/anthropic-messages.js';
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
export {
  createAnthropicModel,
  createGeminiEmbeddingModel,
  createGeminiModel,
  createOpenAIChatModel,
  createOpenAICompatibleModel,
  createOpenAIEmbeddingModel,
  createOpenAIResponsesModel,
} from './deprecated-provider-factories.js';
export type { GeminiEmbeddingModelOptions } from './embeddings/gemini-embedding.js';
export type { OpenAIEmbeddingModelOptions } from './embeddings/openai-embedding.js';
export type { GeminiModelOptions } from './gemini/gemini-chat.js';
export type { GeminiClient, GeminiConnectionOptions } from './gemini/gemini-client.js';
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
export type { ModelManagerEvents } from './manager/model-manager-types.js';
export { defaultTokenEstimate, type ModelRequirements } from './manager/model-selection.js';
export type { ResponseCacheOptions } from './manager/response-cache.js';
export type { OpenAIChatModelOptions, OpenAICompatibleModelOptions } from './openai/openai-chat.js';
export type { OpenAIClient, OpenAIConnectionOptions } from './openai/openai-client.js';
export type { OpenAIResponsesModelOptions } from './openai/openai-responses.js';
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
export type { RetryEvent, RetryEvents, RetryOptions } from './shared/retry.js';
export { responseToParts, StreamCollector } from './shared/stream-collect.js';
