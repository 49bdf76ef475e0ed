import { AgenticGenError, type EmbeddingModel } from '@agenticgen/core';
import type OpenAI from 'openai';
import { type OpenAIConnectionOptions, type OpenAISdk, openAIClientFactory } from '../openai/openai-client.js';
import { createEmbeddingModelFromDriver, type EmbeddingAdapterOptions } from '../shared/embedding-runtime.js';
import type { SdkLoader } from '../shared/provider-sdk.js';

/** Options of the OpenAI embedding adapter (also OpenAI-compatible servers via `baseURL`). */
export interface OpenAIEmbeddingModelOptions extends OpenAIConnectionOptions, EmbeddingAdapterOptions {
  /** Model id, e.g. `text-embedding-3-small`. */
  modelId: string;
  /** Provider name (default `openai`; e.g. `openai-compatible` for Ollama). */
  provider?: string;
}

const knownDimensions: Record<string, number> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/** OpenAI embeddings (`/v1/embeddings`), batched up to 2048 inputs per request. */
export function createOpenAIEmbeddingModel(
  options: OpenAIEmbeddingModelOptions,
  loadSdk: SdkLoader<OpenAISdk>,
): EmbeddingModel {
  const dimensions = options.dimensions ?? knownDimensions[options.modelId];
  if (dimensions === undefined) {
    throw new AgenticGenError(
      'invalid-config',
      `[adapters:openai] unknown vector size for "${options.modelId}"; pass the dimensions option`,
    );
  }
  return createEmbeddingModelFromDriver<OpenAI>(
    {
      provider: options.provider ?? 'openai',
      modelId: options.modelId,
      async embedBatch(client, texts, signal) {
        const response = await client.embeddings.create(
          {
            model: options.modelId,
            input: texts,
            // Only sent when asked: text-embedding-3 can shorten vectors, other models reject the field.
            ...(options.dimensions === undefined ? {} : { dimensions: options.dimensions }),
          },
          { signal },
        );
        return [...response.data].sort((left, right) => left.index - right.index).map((entry) => entry.embedding);
      },
    },
    openAIClientFactory(options, loadSdk),
    dimensions,
    2048,
    options,
  );
}
