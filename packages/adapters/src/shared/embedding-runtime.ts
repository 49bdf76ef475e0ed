import {
  AgenticGenError,
  abortErrorFrom,
  combineSignals,
  type EmbeddingModel,
  type EmbedOptions,
} from '@agenticgen/core';
import { toProviderError } from './provider-errors.js';
import { type RetryOptions, resolveRetryPolicy, withRetry } from './retry.js';

/** Options shared by the embedding adapters. */
export interface EmbeddingAdapterOptions {
  /** Vector length. Required for models whose default the adapter does not know. */
  dimensions?: number;
  /** Inputs per request (default: the provider's limit). */
  maxBatchSize?: number;
  /** L2-normalise vectors on the client (default true), so cosine equals dot product. */
  normalize?: boolean;
  /** Retry policy; `false` disables retries. */
  retry?: RetryOptions | false;
  /** Timeout of one batch request in milliseconds (default 60 s). */
  timeoutMs?: number;
}

/** The provider half of an embedding adapter: one batch, one HTTP call. */
export interface EmbeddingDriver<Client> {
  provider: string;
  modelId: string;
  embedBatch(client: Client, texts: string[], signal: AbortSignal): Promise<ArrayLike<number>[]>;
}

export function createEmbeddingModelFromDriver<Client>(
  driver: EmbeddingDriver<Client>,
  getClient: () => Promise<Client>,
  dimensions: number,
  providerLimit: number,
  options: EmbeddingAdapterOptions,
): EmbeddingModel {
  const scope = `adapters:${driver.provider}`;
  const policy = resolveRetryPolicy(options.retry);
  const maxBatchSize = Math.max(1, Math.min(options.maxBatchSize ?? providerLimit, providerLimit));
  const normalize = options.normalize ?? true;
  return {
    id: `${driver.provider}:${driver.modelId}${options.dimensions === undefined ? '' : `@${dimensions}`}`,
    provider: driver.provider,
    modelId: driver.modelId,
    dimensions,
    normalized: normalize,
    maxBatchSize,
    async embed(texts: readonly string[], embedOptions: EmbedOptions = {}): Promise<Float32Array[]> {
      if (!Array.isArray(texts) || texts.some((text) => typeof text !== 'string')) {
        throw new AgenticGenError('invalid-argument', `[${scope}] embed() takes an array of strings`);
      }
      if (texts.length === 0) return [];
      const client = await getClient();
      const vectors: Float32Array[] = [];
      for (let offset = 0; offset < texts.length; offset += maxBatchSize) {
        const batch = texts.slice(offset, offset + maxBatchSize);
        const raw = await withRetry(
          async () => {
            const guard = combineSignals(scope, embedOptions.signal, options.timeoutMs ?? 60_000);
            try {
              return await driver.embedBatch(client, batch, guard.signal);
            } catch (error) {
              throw guard.signal.aborted
                ? abortErrorFrom(guard.signal, scope)
                : toProviderError(error, driver.provider);
            } finally {
              guard.dispose();
            }
          },
          policy,
          embedOptions.signal,
          scope,
        );
        if (raw.length !== batch.length) {
          throw new AgenticGenError(
            'invalid-response',
            `[${scope}] sent ${batch.length} texts, got ${raw.length} vectors`,
          );
        }
        for (const values of raw) {
          if (values.length !== dimensions) {
            throw new AgenticGenError(
              'invalid-response',
              `[${scope}] expected vectors of ${dimensions} dimensions, got ${values.length}; set the dimensions option to the model's size`,
            );
          }
          const vector = Float32Array.from(values);
          if (normalize) normalizeInPlace(vector);
          vectors.push(vector);
        }
      }
      return vectors;
    },
  };
}

function normalizeInPlace(vector: Float32Array): void {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const norm = Math.sqrt(sum);
  if (norm === 0) return;
  for (let index = 0; index < vector.length; index++) vector[index] = (vector[index] ?? 0) / norm;
}
