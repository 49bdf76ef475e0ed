import { importPeer, lazyClient } from './chat-model-runtime.js';
import type { SdkLoader } from './provider-sdk.js';

/** The connection settings the OpenAI and Anthropic SDK constructors both take under the same names. */
export interface SdkConnectionOptions {
  apiKey?: string;
  baseURL?: string;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  dangerouslyAllowBrowser?: boolean;
}

/** What {@link sdkClientSettings} hands to the SDK constructor. */
export interface SdkClientSettings {
  apiKey: string;
  baseURL?: string;
  defaultHeaders?: Record<string, string>;
  fetch?: typeof fetch;
  dangerouslyAllowBrowser?: boolean;
  maxRetries: number;
  timeout: number;
}

/**
 * Constructor options for an OpenAI-style SDK client. The SDK's own retries are off (the adapter's retry policy
 * is the only one) and its timeout is a day (our per-request timeout aborts the signal; the SDK's would race it).
 */
export function sdkClientSettings(options: SdkConnectionOptions, apiKeyVariable: string): SdkClientSettings {
  return {
    apiKey: options.apiKey ?? readEnvironment(apiKeyVariable) ?? 'missing-api-key',
    ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
    ...(options.headers === undefined ? {} : { defaultHeaders: options.headers }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.dangerouslyAllowBrowser === undefined
      ? {}
      : { dangerouslyAllowBrowser: options.dangerouslyAllowBrowser }),
    maxRetries: 0,
    timeout: 24 * 60 * 60 * 1000,
  };
}

/**
 * A memoised client: the caller's own when given, else one built once from the lazily imported SDK.
 * `given` is typed loosely by the options (so published types never import the optional SDK); the drivers
 * call it through the SDK's own types.
 */
export function sdkClientFactory<Module, Client>(
  given: unknown,
  loadSdk: SdkLoader<Module>,
  packageName: string,
  construct: (module: Module) => Client,
): () => Promise<Client> {
  if (given !== undefined) return () => Promise.resolve(given as Client);
  return lazyClient(async () => construct(await importPeer(loadSdk, packageName)));
}

/**
 * Reads an environment variable where one exists (Node, Deno, Bun) and nothing in a browser. A missing key
 * is left for the provider to reject with 401, which maps to an `authentication` error.
 */
export function readEnvironment(name: string): string | undefined {
  const process = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return process?.env?.[name];
}
