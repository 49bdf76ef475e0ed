import type { ErrorCodeTable } from '@agenticgen/core';

/** The codes `@agenticgen/adapters` throws: the source of `AdaptersErrorCode`, `adaptersError`'s defaults and docs/errors.md. */
export const adaptersErrorCodes = {
  'invalid-argument': { retryable: false, meaning: 'a request, model id or comparison input is not acceptable' },
  'invalid-config': {
    retryable: false,
    meaning: 'an option of a model, embedder or manager factory is not acceptable',
  },
  authentication: { retryable: false, meaning: 'the provider refused the API key' },
  'permission-denied': { retryable: false, meaning: 'the key lacks access to this model or resource' },
  'rate-limit': {
    retryable: true,
    meaning: 'the provider asked to slow down (`data.retryAfterMs`); a spent quota is not retryable',
  },
  'context-length': { retryable: false, meaning: "the request exceeds the model's context window" },
  'content-filter': { retryable: false, meaning: "the provider's content policy refused the request" },
  'invalid-request': { retryable: false, meaning: 'the provider rejected the request as malformed (HTTP 400/404/422)' },
  overloaded: {
    retryable: true,
    meaning: 'the provider is overloaded or unavailable (HTTP 529/503, stream `overloaded` event)',
  },
  server: { retryable: true, meaning: 'the provider failed (HTTP 5xx)' },
  network: { retryable: true, meaning: 'the connection failed or a stream stalled before the answer ended' },
  timeout: { retryable: true, meaning: 'the provider did not answer within `timeoutMs`' },
  aborted: { retryable: false, meaning: "the caller's AbortSignal cancelled the request" },
  'invalid-response': {
    retryable: false,
    meaning: 'the provider answered with something that cannot be mapped (bad JSON, missing vectors)',
  },
  unsupported: { retryable: false, meaning: 'the provider or API does not support the requested feature' },
  'not-found': { retryable: false, meaning: 'the model manager has no model under that name' },
  'dependency-missing': {
    retryable: false,
    meaning: 'the optional provider SDK (`openai`, `@anthropic-ai/sdk`, `@google/genai`) is not installed',
  },
  internal: {
    retryable: false,
    meaning: 'a model threw something that is not an error, or a fallback chain was empty (a bug)',
  },
} as const satisfies ErrorCodeTable;

export type AdaptersErrorCode = keyof typeof adaptersErrorCodes;

declare module '@agenticgen/core' {
  /** Declares this package's codes, so `new AgenticGenError(code, …)` accepts them and nothing undeclared. */
  interface ErrorCodeRegistry extends Record<AdaptersErrorCode, true> {}
}
