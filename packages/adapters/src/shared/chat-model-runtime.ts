import {
  AgenticGenError,
  abortErrorFrom,
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  combineSignals,
  type ModelCapabilities,
} from '@agenticgen/core';
import { ManagedStream, type OpenedStream } from './managed-stream.js';
import { estimateCost, type PriceTable } from './pricing.js';
import { toProviderError, unreadableAnswer } from './provider-errors.js';
import { type RetryOptions, resolveRetryPolicy, withRetry } from './retry.js';

/** The provider-specific half of an adapter: one HTTP call, no retries, no error mapping. */
export interface ProviderDriver<Client, Event = unknown, Answer = unknown> {
  /** Provider name reported by the model. */
  readonly provider: string;
  /** Provider model id. */
  readonly modelId: string;
  /** Sends one non-streaming request and returns the provider's answer as the SDK parsed it. Throws whatever the SDK throws. */
  generate(client: Client, request: ChatRequest, signal: AbortSignal): Promise<Answer>;
  /**
   * Reads the provider's answer. Kept apart from `generate` so a body of the wrong shape (our mapping throws)
   * is told from a failed connection: it becomes a non-retryable `invalid-response`.
   */
  readAnswer(answer: Answer): ChatResponse;
  /**
   * Opens one stream; resolves once the provider accepted the request (HTTP headers received), so
   * status errors surface here and can be retried before anything reached the caller.
   */
  openStream(client: Client, request: ChatRequest, signal: AbortSignal): Promise<OpenedStream<Event>>;
}

/** Options shared by every chat adapter. */
export interface ChatAdapterOptions {
  /** Retry policy (Retry-After aware backoff); `false` disables retries. */
  retry?: RetryOptions | false;
  /** Default per-request timeout in milliseconds (a request's `timeoutMs` wins). Default 10 minutes. */
  timeoutMs?: number;
  /** Prices for the cost estimate; default `defaultPrices`. Extend with `createPriceTable`. */
  prices?: PriceTable;
  /** Overrides of the capabilities the adapter assumes for the model. */
  capabilities?: Partial<ModelCapabilities>;
}

const defaultTimeoutMs = 600_000;

/** Builds a ChatModel from a driver: retries, timeouts, abort, error mapping and cost live here once. */
export function createChatModelFromDriver<Client, Event, Answer>(
  driver: ProviderDriver<Client, Event, Answer>,
  getClient: () => Promise<Client>,
  capabilities: ModelCapabilities,
  options: ChatAdapterOptions,
  prices: PriceTable,
): ChatModel {
  const scope = `adapters:${driver.provider}`;
  const policy = resolveRetryPolicy(options.retry);
  const costOf = (modelId: string, usage: ChatResponse['usage']) =>
    estimateCost(prices, driver.provider, modelId, usage) ??
    estimateCost(prices, driver.provider, driver.modelId, usage);

  const attemptSignal = (request: ChatRequest) => {
    const local = new AbortController();
    const inputs = request.signal === undefined ? [local.signal] : [local.signal, request.signal];
    const guard = combineSignals(
      scope,
      AbortSignal.any(inputs),
      request.timeoutMs ?? options.timeoutMs ?? defaultTimeoutMs,
    );
    return { local, guard };
  };

  return {
    provider: driver.provider,
    modelId: driver.modelId,
    capabilities,
    async generate(request) {
      validateRequest(request, scope);
      const client = await getClient();
      return withRetry(
        async () => {
          const { guard } = attemptSignal(request);
          let answer: Answer;
          try {
            answer = await driver.generate(client, request, guard.signal);
          } catch (error) {
            throw guard.signal.aborted ? abortErrorFrom(guard.signal, scope) : toProviderError(error, driver.provider);
          } finally {
            guard.dispose();
          }
          const response = readAnswer(driver, answer);
          const costUsd = costOf(response.modelId, response.usage);
          return costUsd === undefined ? response : { ...response, costUsd };
        },
        policy,
        request.signal,
        scope,
      );
    },
    stream(request) {
      return new ManagedStream<Event>({
        scope,
        provider: driver.provider,
        modelId: driver.modelId,
        request,
        policy,
        costOf,
        attemptSignal: () => attemptSignal(request),
        open: async (signal) => {
          validateRequest(request, scope);
          return driver.openStream(await getClient(), request, signal);
        },
      });
    },
  };
}

/**
 * The driver's reading of an answer: a provider error it reports (a failed Responses API answer) maps as
 * usual, our own mapping tripping over the body's shape (TypeError, RangeError) is `invalid-response`.
 */
function readAnswer<Answer>(driver: ProviderDriver<unknown, unknown, Answer>, answer: Answer): ChatResponse {
  try {
    return driver.readAnswer(answer);
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) throw unreadableAnswer(driver.provider, error);
    throw toProviderError(error, driver.provider);
  }
}

function validateRequest(request: ChatRequest, scope: string): void {
  if (!Array.isArray(request?.messages) || request.messages.length === 0) {
    throw new AgenticGenError('invalid-argument', `[${scope}] request.messages must be a non-empty array of messages`);
  }
}

/** Memoises an async client factory; a failed load is retried on the next call. */
export function lazyClient<Client>(create: () => Promise<Client>): () => Promise<Client> {
  let pending: Promise<Client> | undefined;
  return () => {
    pending ??= create().catch((error: unknown) => {
      pending = undefined;
      if (AgenticGenError.isInstance(error)) throw error;
      // The SDK constructors refuse bad settings, e.g. running in a browser without the explicit opt-in.
      const message = error instanceof Error ? error.message : String(error);
      throw new AgenticGenError(
        'invalid-config',
        `[adapters] the provider SDK rejected its settings: ${message}; in a browser, point baseURL at your proxy and set dangerouslyAllowBrowser (see docs/adapters.md)`,
        { cause: error },
      );
    });
    return pending;
  };
}

/** The provider entry that imports each SDK (a bundled app must import its factories from there). */
const providerEntryOf: Readonly<Record<string, string>> = {
  openai: '@agenticgen/adapters/openai',
  '@anthropic-ai/sdk': '@agenticgen/adapters/anthropic',
  '@google/genai': '@agenticgen/adapters/gemini',
};

/** Imports an optional peer SDK, turning a missing install into a clear error. */
export async function importPeer<Module>(load: () => Promise<Module>, packageName: string): Promise<Module> {
  try {
    return await load();
  } catch (error) {
    throw new AgenticGenError(
      'dependency-missing',
      `[adapters] the optional peer dependency "${packageName}" could not be loaded; install it with "npm install ${packageName}" or pass a client (a bundled app imports the factory from "${providerEntryOf[packageName]}")`,
      { cause: error },
    );
  }
}

/** Parses tool-call arguments; keeps the raw text when it is not JSON (the contract says so). */
export function parseArguments(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Usage with the total filled in. */
export function usageOf(
  input: number | null | undefined,
  output: number | null | undefined,
  extra: {
    total?: number | null | undefined;
    reasoning?: number | null | undefined;
    cached?: number | null | undefined;
  } = {},
): ChatResponse['usage'] {
  const inputTokens = input ?? 0;
  const outputTokens = output ?? 0;
  const usage: ChatResponse['usage'] = {
    inputTokens,
    outputTokens,
    totalTokens: extra.total ?? inputTokens + outputTokens,
  };
  if (extra.reasoning != null) usage.reasoningTokens = extra.reasoning;
  if (extra.cached != null) usage.cachedInputTokens = extra.cached;
  return usage;
}
