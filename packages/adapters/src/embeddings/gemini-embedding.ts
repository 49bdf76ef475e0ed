import type { EmbeddingModel } from '@agenticgen/core';
import type { GoogleGenAI } from '@google/genai';
import { type GeminiConnectionOptions, type GeminiSdk, geminiClientFactory } from '../gemini/gemini-client.js';
import { createEmbeddingModelFromDriver, type EmbeddingAdapterOptions } from '../shared/embedding-runtime.js';
import type { SdkLoader } from '../shared/provider-sdk.js';

/** Options of the Gemini embedding adapter. */
export interface GeminiEmbeddingModelOptions extends GeminiConnectionOptions, EmbeddingAdapterOptions {
  /** Model id, e.g. `gemini-embedding-001` or `text-embedding-004`. */
  modelId: string;
  /** Gemini task type, e.g. `RETRIEVAL_DOCUMENT` or `RETRIEVAL_QUERY`. */
  taskType?: string;
}

/**
 * Gemini embeddings through `batchEmbedContents`, up to 100 inputs per request. Vectors shorter than the
 * model's native size are not normalised by Gemini, so the adapter normalises them (option `normalize`).
 */
export function createGeminiEmbeddingModel(
  options: GeminiEmbeddingModelOptions,
  loadSdk: SdkLoader<GeminiSdk>,
): EmbeddingModel {
  const dimensions = options.dimensions ?? (options.modelId.startsWith('gemini-embedding') ? 3072 : 768);
  return createEmbeddingModelFromDriver<GoogleGenAI>(
    {
      provider: 'gemini',
      modelId: options.modelId,
      async embedBatch(client, texts, signal) {
        const response = await client.models.embedContent({
          model: options.modelId,
          contents: texts,
          config: {
            abortSignal: signal,
            ...(options.dimensions === undefined ? {} : { outputDimensionality: options.dimensions }),
            ...(options.taskType === undefined ? {} : { taskType: options.taskType }),
          },
        });
        return (response.embeddings ?? []).map((embedding) => embedding.values ?? []);
      },
    },
    geminiClientFactory(options, loadSdk),
    dimensions,
    100,
    options,
  );
}
