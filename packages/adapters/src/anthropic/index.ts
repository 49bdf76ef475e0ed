/**
 * `@agenticgen/adapters/anthropic`: Anthropic (Messages API) through `@anthropic-ai/sdk`. The SDK is an optional
 * peer: this entry imports it lazily, and is the only module that names it, so a bundle that never imports this
 * entry never has to resolve it.
 */
import type { ChatModel } from '@agenticgen/core';
import type { AnthropicChatModelOptions, AnthropicSdk } from './anthropic-messages.js';
import * as messages from './anthropic-messages.js';

export type { AnthropicChatModelOptions, AnthropicClient } from './anthropic-messages.js';

const loadSdk = (): Promise<AnthropicSdk> => import('@anthropic-ai/sdk');

/** Anthropic through the Messages API (`/v1/messages`), with thinking as reasoning parts. */
export function createAnthropicChatModel(options: AnthropicChatModelOptions): ChatModel {
  return messages.createAnthropicModel(options, loadSdk);
}

/** @deprecated Use `createAnthropicChatModel` (one `create<Provider>ChatModel` scheme, like `createOpenAIChatModel`); this alias is removed in the next minor release. */
export const createAnthropicModel = createAnthropicChatModel;
export type { AnthropicModelOptions } from './anthropic-messages.js';
