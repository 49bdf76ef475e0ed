import type OpenAI from 'openai';
import type { SdkLoader } from '../shared/provider-sdk.js';
import { sdkClientFactory, sdkClientSettings } from '../shared/sdk-client.js';

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
  return sdkClientFactory(options.client, loadSdk, 'openai', (module): OpenAI => {
    return new module.default({
      ...sdkClientSettings(options, 'OPENAI_API_KEY'),
      ...(options.organization === undefined ? {} : { organization: options.organization }),
      ...(options.project === undefined ? {} : { project: options.project }),
    });
  });
}
