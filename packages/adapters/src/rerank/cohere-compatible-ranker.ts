import {
  AgenticGenError,
  abortErrorFrom,
  combineSignals,
  type RankCandidate,
  type Ranker,
  type RankOptions,
} from '@agenticgen/core';
import { toProviderError, unreadableAnswer } from '../shared/provider-errors.js';
import { type RetryOptions, resolveRetryPolicy, withRetry } from '../shared/retry.js';

/**
 * Options of a reranker speaking Cohere's rerank wire format (`POST /v2/rerank`: `{ model, query, documents,
 * top_n }` → `{ results: [{ index, relevance_score }] }`), which Cohere, Jina (`/v1/rerank`), vLLM and other
 * gateways serve. OpenAI, Anthropic and Gemini have no rerank endpoint.
 */
export interface CohereCompatibleRankerOptions {
  /** Model id, e.g. `rerank-v3.5` (Cohere) or `jina-reranker-v2-base-multilingual`. */
  model: string;
  /** Base URL without the path (default `https://api.cohere.com`). */
  baseURL?: string;
  /** Endpoint path (default `/v2/rerank`; Jina and vLLM also serve `/v1/rerank`). */
  path?: string;
  /** Sent as `Authorization: Bearer <apiKey>`; omit it (or pass `undefined`) for a server without authentication. */
  apiKey?: string | undefined;
  /** Provider name in errors and the ranker name (default `cohere`). */
  provider?: string;
  /** Documents per request (default 1,000, Cohere's limit); more candidates are sent in several requests. */
  maxDocumentsPerRequest?: number;
  /** Asks the server to truncate each document to this many tokens (`max_tokens_per_doc`, Cohere v2 only). */
  maxTokensPerDocument?: number;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Retry policy (the adapters' shared one); `false` disables retries. */
  retry?: RetryOptions | false;
  /** Timeout of one request in milliseconds (default 60 s). */
  timeoutMs?: number;
  /** The fetch to use (default `globalThis.fetch`); inject one for proxies or tests. */
  fetch?: typeof fetch;
}

/** Longest error body read from the server; the rest is never buffered nor echoed. */
const maxErrorBodyCharacters = 2_000;

/**
 * A `Ranker` backed by a provider's rerank endpoint. Candidates are sent in order (in requests of
 * `maxDocumentsPerRequest`) and every candidate gets the provider's relevance score; HTTP failures become
 * typed `AgenticGenError`s (`authentication`, `rate-limit`, `server`…) and retryable ones are retried with the
 * adapters' backoff.
 */
export function createCohereCompatibleRanker(options: CohereCompatibleRankerOptions): Ranker {
  const provider = options.provider ?? 'cohere';
  const scope = `adapters:${provider}`;
  if (typeof options.model !== 'string' || options.model === '') {
    throw new AgenticGenError('invalid-config', `[${scope}] the reranker needs a model id`);
  }
  const perRequest = options.maxDocumentsPerRequest ?? 1000;
  if (!Number.isInteger(perRequest) || perRequest < 1) {
    throw new AgenticGenError('invalid-config', `[${scope}] maxDocumentsPerRequest must be a positive integer`);
  }
  const endpoint = `${(options.baseURL ?? 'https://api.cohere.com').replace(/\/+$/, '')}${options.path ?? '/v2/rerank'}`;
  const policy = resolveRetryPolicy(options.retry);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;

  const post = async (query: string, documents: string[], signal: AbortSignal): Promise<unknown> => {
    const send = options.fetch ?? globalThis.fetch;
    const body = {
      model: options.model,
      query,
      documents,
      top_n: documents.length,
      ...(options.maxTokensPerDocument === undefined ? {} : { max_tokens_per_doc: options.maxTokensPerDocument }),
    };
    const response = await send(endpoint, { method: 'POST', headers, body: JSON.stringify(body), signal });
    if (!response.ok) throw await httpFailure(response);
    return response.json();
  };

  const rankBatch = async (query: string, batch: readonly RankCandidate[], signal: AbortSignal | undefined) => {
    const answer = await withRetry(
      async () => {
        const guard = combineSignals(scope, signal, options.timeoutMs ?? 60_000);
        try {
          return await post(
            query,
            batch.map((candidate) => candidate.text),
            guard.signal,
          );
        } catch (error) {
          throw guard.signal.aborted ? abortErrorFrom(guard.signal, scope) : toProviderError(error, provider);
        } finally {
          guard.dispose();
        }
      },
      policy,
      signal,
      scope,
    );
    return readScores(answer, batch, provider);
  };

  return {
    name: `${provider}-rerank:${options.model}`,
    async rank(query: string, candidates: readonly RankCandidate[], rankOptions: RankOptions) {
      if (typeof query !== 'string' || query === '') {
        throw new AgenticGenError('invalid-argument', `[${scope}] rank() needs a non-empty query`);
      }
      const scored: Array<{ id: string; score: number }> = [];
      for (let start = 0; start < candidates.length; start += perRequest) {
        scored.push(...(await rankBatch(query, candidates.slice(start, start + perRequest), rankOptions.signal)));
      }
      return scored;
    },
  };
}

/** An HTTP error in the shape `toProviderError` reads (`status`, `headers`, `error` body), body cut short. */
async function httpFailure(response: Response): Promise<Error> {
  const text = (await response.text().catch(() => '')).slice(0, maxErrorBodyCharacters);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const record = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  // Cohere sends `{ message }`, Jina and vLLM `{ detail }` or `{ error: { message } }`.
  const inner = typeof record.error === 'object' && record.error !== null ? record.error : record;
  const message =
    typeof (inner as { message?: unknown }).message === 'string'
      ? ((inner as { message: string }).message as string)
      : typeof record.detail === 'string'
        ? record.detail
        : `HTTP ${response.status}`;
  const short = message.length > 300 ? `${message.slice(0, 300)}…` : message;
  return Object.assign(new Error(short), {
    status: response.status,
    headers: response.headers,
    error: { ...(inner as object), message: short },
  });
}

function readScores(
  answer: unknown,
  batch: readonly RankCandidate[],
  provider: string,
): Array<{ id: string; score: number }> {
  const results = (answer as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) throw unreadableAnswer(provider, 'no results array in the rerank answer');
  const seen = new Set<number>();
  return results.map((result: unknown) => {
    const { index, relevance_score: score } = (result ?? {}) as { index?: unknown; relevance_score?: unknown };
    if (
      typeof index !== 'number' ||
      !Number.isInteger(index) ||
      index < 0 ||
      index >= batch.length ||
      seen.has(index)
    ) {
      throw unreadableAnswer(
        provider,
        `result index ${String(index).slice(0, 20)} is not one of the ${batch.length} documents sent`,
      );
    }
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      throw unreadableAnswer(provider, `result ${index} has no numeric relevance_score`);
    }
    seen.add(index);
    return { id: (batch[index] as RankCandidate).id, score };
  });
}
