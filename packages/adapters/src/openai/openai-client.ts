import type OpenAI from 'openai';
import { importPeer, lazyClient } from '../shared/chat-model-runtime.js';
import type { SdkLoader } from '../shared/provider-sdk.js';

/** The `openai` module, as the OpenAI adapters load it. */
export type OpenAISdk = typeof import('openai');

/**
 * The part of an `openai` SDK client the adapters call; a `new OpenAI(...)` satisfies it. Declared here so our
 * published types never import the optional SDK (a project without it still type-checks with skipLibCheck off).
 */
export interface OpenAIClient {
  readonly chat: { readonly completions: { create(...args: never[]): unknown } };
  readonly responses: { create(...args: never[]): unknown };
  readonly embeddings: { create(...args: never[]): unknown };
}

/** How to reach OpenAI (or a compatible server, or your own proxy). */
export interface OpenAIConnectionOptions {
  /** An existing client (tests, custom transports). When given, the connection options below are ignored. */
  client?: OpenAIClient;
  /** API key; the SDK falls back to `OPENAI_API_KEY` in Node. Behind a proxy, any placeholder works. */
  apiKey?: string;
  /** Base URL, e.g. your proxy (`https://example.com/api/openai/v1`) or `http://localhost:11434/v1` for Ollama. */
  baseURL?: string;
  /** OpenAI organization id. */
  organization?: string;
  /** OpenAI project id. */
  project?: string;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Custom fetch (proxies, instrumentation). */
  fetch?: typeof fetch;
  /**
   * Required to run in a browser. Only ever send a real key from a browser in development; in production,
   * point `baseURL` at a proxy that adds the key on the server.
   */
  dangerouslyAllowBrowser?: boolean;
}

/** A memoised, lazily imported OpenAI client. SDK retries are off: the adapter's retry policy is the only one. */
export function openAIClientFactory(
  options: OpenAIConnectionOptions,
  loadSdk: SdkLoader<OpenAISdk>,
): () => Promise<OpenAI> {
  // A given client is the SDK's own (OpenAIClient only describes it); the drivers call it through the SDK's types.
  const given = options.client as OpenAI | undefined;
  if (given !== undefined) return () => Promise.resolve(given);
  return lazyClient(async () => {
    const module = await importPeer(loadSdk, 'openai');
    return new module.default({
      apiKey: options.apiKey ?? readEnvironment('OPENAI_API_KEY') ?? 'missing-api-key',
      ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
      ...(options.organization === undefined ? {} : { organization: options.organization }),
      ...(options.project === undefined ? {} : { project: options.project }),
      ...(options.headers === undefined ? {} : { defaultHeaders: options.headers }),
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
      ...(options.dangerouslyAllowBrowser === undefined
        ? {}
        : { dangerouslyAllowBrowser: options.dangerouslyAllowBrowser }),
      maxRetries: 0,
      // Our own per-request timeout aborts the signal; the SDK's would only race it.
      timeout: 24 * 60 * 60 * 1000,
    });
  });
}

/**
 * Reads an environment variable where one exists (Node, Deno, Bun) and nothing in a browser. A missing key
 * is left for the provider to reject with 401, which maps to an `authentication` error.
 */
export function readEnvironment(name: string): string | undefined {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return process?.env?.[name];
}
