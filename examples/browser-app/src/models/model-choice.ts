import { createOfflineDemoModel } from '@agenticgen/adapters';
import { createAnthropicChatModel } from '@agenticgen/adapters/anthropic';
import { createGeminiChatModel } from '@agenticgen/adapters/gemini';
import { createOpenAIChatModel, createOpenAICompatibleChatModel } from '@agenticgen/adapters/openai';
import { AgenticGenError, type ChatModel } from '@agenticgen/core';

/** Where the app's model comes from. */
export type ModelChoice =
  | { kind: 'demo' }
  | {
      /** A key the user typed; it stays in this page's memory and goes only to the provider. */
      kind: 'key';
      provider: 'openai' | 'anthropic' | 'gemini';
      apiKey: string;
      modelId: string;
    }
  | {
      /** An OpenAI-compatible endpoint: your server-side proxy that adds the key, or a local Ollama. */
      kind: 'proxy';
      baseURL: string;
      modelId: string;
    };

const defaultModels = { openai: 'gpt-4.1-mini', anthropic: 'claude-sonnet-4-5', gemini: 'gemini-2.5-flash' } as const;

/** Builds the ChatModel for a choice, with a clear `invalid-config` error for missing fields. */
export function createModelFromChoice(choice: ModelChoice): ChatModel {
  if (choice.kind === 'demo') return createOfflineDemoModel();
  if (choice.kind === 'key') {
    if (choice.apiKey.trim() === '') {
      throw new AgenticGenError(
        'invalid-config',
        '[browser-app] an API key is needed; paste one or use the offline demo model',
      );
    }
    const modelId = choice.modelId.trim() || defaultModels[choice.provider];
    // The SDKs refuse browser use without this opt-in: a typed key is visible to this page. Use a proxy in production.
    const connection = { apiKey: choice.apiKey.trim(), modelId, dangerouslyAllowBrowser: true };
    if (choice.provider === 'openai') return createOpenAIChatModel(connection);
    if (choice.provider === 'anthropic') return createAnthropicChatModel(connection);
    return createGeminiChatModel({ apiKey: connection.apiKey, modelId });
  }
  let url: URL;
  try {
    // Relative URLs (a proxy route of the same site) resolve against the page.
    url = new URL(choice.baseURL, globalThis.location?.href);
  } catch (error) {
    throw new AgenticGenError(
      'invalid-config',
      `[browser-app] proxy URL "${choice.baseURL}" is not a URL; e.g. /api/openai/v1`,
      {
        cause: error,
      },
    );
  }
  if (choice.modelId.trim() === '') {
    throw new AgenticGenError(
      'invalid-config',
      '[browser-app] name the model the proxy serves, e.g. gpt-4.1-mini or llama3.2',
    );
  }
  // The proxy adds the real key on the server; the SDK still wants some key string.
  return createOpenAICompatibleChatModel({
    baseURL: url.href,
    modelId: choice.modelId.trim(),
    apiKey: 'set-by-proxy',
    dangerouslyAllowBrowser: true,
  });
}

/** A short label for the page header. */
export function describeModel(model: ChatModel): string {
  return model.provider === 'demo'
    ? 'offline demo model (no network, quotes the knowledge base)'
    : `${model.provider} · ${model.modelId}`;
}
