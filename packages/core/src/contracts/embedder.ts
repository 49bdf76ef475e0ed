/**
 * Turns text into vectors. The knowledge base and the semantic cache consume it; the vector package
 * (hashing embedder, transformers.js) and the adapters (provider embeddings) implement it.
 */
export interface EmbedOptions {
  /** Cancels the work. */
  signal?: AbortSignal;
}

export interface Embedder {
  /** Stable identifier, part of cache keys: e.g. `hashing-384`, `openai:text-embedding-3-small`. */
  readonly id: string;
  /** Vector length; every vector returned has exactly this many components. */
  readonly dimensions: number;
  /** True when vectors are L2-normalised (cosine equals dot product). */
  readonly normalized: boolean;
  /** Embeds texts in order; batching is the implementation's job. */
  embed(texts: readonly string[], options?: EmbedOptions): Promise<Float32Array[]>;
}

/** A provider embedding model: an Embedder that also reports usage and its batch limit. */
export interface EmbeddingModel extends Embedder {
  /** Provider name. */
  readonly provider: string;
  /** Provider model id. */
  readonly modelId: string;
  /** Largest number of inputs sent in one request. */
  readonly maxBatchSize: number;
}
