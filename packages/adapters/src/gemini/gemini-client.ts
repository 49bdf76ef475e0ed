import type { GoogleGenAI } from '@google/genai';
import type { SdkLoader } from '../shared/provider-sdk.js';
import { readEnvironment, sdkClientFactory } from '../shared/sdk-client.js';

/** The `@google/genai` module, as the Gemini adapters load it. */
export type GeminiSdk = typeof import('@google/genai');

/**
 * The part of a `@google/genai` client the adapters call; a `new GoogleGenAI(...)` satisfies it. Declared here
 * so our published types never import the optional SDK.
 */
export interface GeminiClient {
  readonly models: {
    generateContent(...args: never[]): unknown;
    generateContentStream(...args: never[]): unknown;
    embedContent(...args: never[]): unknown;
  };
}

/** How to reach the Gemini API (or your proxy). */
export interface GeminiConnectionOptions {
  /** An existing client; when given, the connection options are ignored. */
  client?: GeminiClient;
  /** API key; falls back to `GEMINI_API_KEY` / `GOOGLE_API_KEY` in Node. Behind a proxy any placeholder works. */
  apiKey?: string;
  /** Base URL, e.g. your proxy; the SDK appends `/v1beta/models/…`. */
  baseURL?: string;
  /** API version (default the SDK's, `v1beta`). */
  apiVersion?: string;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Custom fetch. */
  fetch?: typeof fetch;
}

export function geminiClientFactory(
  options: GeminiConnectionOptions,
  loadSdk: SdkLoader<GeminiSdk>,
): () => Promise<GoogleGenAI> {
  return sdkClientFactory(options.client, loadSdk, '@google/genai', (module): GoogleGenAI => {
    const httpOptions: Record<string, unknown> = {};
    if (options.baseURL !== undefined) httpOptions.baseUrl = options.baseURL;
    if (options.headers !== undefined) httpOptions.headers = options.headers;
    if (options.fetch !== undefined) httpOptions.fetch = options.fetch;
    // No retryOptions: the SDK then makes exactly one attempt and our policy decides.
    return new module.GoogleGenAI({
      apiKey:
        options.apiKey ?? readEnvironment('GEMINI_API_KEY') ?? readEnvironment('GOOGLE_API_KEY') ?? 'missing-api-key',
      ...(options.apiVersion === undefined ? {} : { apiVersion: options.apiVersion }),
      httpOptions,
    });
  });
}
