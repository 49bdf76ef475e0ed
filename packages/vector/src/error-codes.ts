import type { ErrorCodeTable } from '@agenticgen/core';

/** The codes `@agenticgen/vector` throws: the source of `VectorErrorCode`, `vectorError`'s defaults and docs/errors.md. */
export const vectorErrorCodes = {
  'invalid-argument': { retryable: false, meaning: 'an id, `k`, query option or batch is not acceptable' },
  'invalid-config': { retryable: false, meaning: 'an option of an index, store or embedder factory is not acceptable' },
  'invalid-vector': { retryable: false, meaning: 'a vector is empty, not numeric, or holds NaN/infinity' },
  'dimension-mismatch': { retryable: false, meaning: "a vector's length differs from the index's dimension" },
  'invalid-metadata': { retryable: false, meaning: 'metadata is not a plain JSON object or is larger than the limit' },
  'invalid-filter': { retryable: false, meaning: 'a metadata filter uses an unknown operator or a malformed value' },
  'unknown-metric': { retryable: false, meaning: 'the distance metric is not `cosine`, `dot` or `l2`' },
  'corrupt-index': { retryable: false, meaning: 'a saved index failed its format or checksum check' },
  'not-found': { retryable: false, meaning: 'the saved index file or record does not exist' },
  conflict: { retryable: false, meaning: 'a worker was asked to open a second embedder or index (one per worker)' },
  internal: { retryable: false, meaning: 'a worker failed with an error that is not an AgenticGenError' },
  'invalid-response': { retryable: false, meaning: 'an embedder returned the wrong number of vectors' },
  'dependency-missing': {
    retryable: false,
    meaning: 'the optional `@lancedb/lancedb` or `@huggingface/transformers` peer is not installed',
  },
  unsupported: { retryable: false, meaning: 'the runtime lacks a capability (IndexedDB in Node, WebAssembly kernels)' },
  aborted: { retryable: false, meaning: "the caller's `signal` aborted an upsert or delete before it was applied" },
  disposed: { retryable: false, meaning: 'the index or store was disposed' },
} as const satisfies ErrorCodeTable;

export type VectorErrorCode = keyof typeof vectorErrorCodes;

declare module '@agenticgen/core' {
  /** Declares this package's codes, so `new AgenticGenError(code, …)` accepts them and nothing undeclared. */
  interface ErrorCodeRegistry extends Record<VectorErrorCode, true> {}
}
