/**
 * `@agenticgen/adapters/anthropic`: Anthropic (Messages API) through `@anthropic-ai/sdk`. The SDK is an optional
 * peer: this entry imports it lazily, and is the only module that names it, so a bundle that never imports this
 * entry never has to resolve it.
 */
import type { ChatModel } from '@agenticgen/core';
import type { AnthropicModelOptions, AnthropicSdk } from './anthropic-messages.js';
import * as messages from './anthropic-messages.js';

export type { AnthropicClient, AnthropicModelOptions } from './anthropic-messages.js';

const loadSdk = (): Promise<AnthropicSdk> => import('@anthropic-ai/sdk');

/** Anthropic through the Messages API (`/v1/messages`), with thinking as reasoning parts. */
export function createAnthropicModel(options: AnthropicModelOptions): ChatModel {
  return messages.createAnthropicModel(options, loadSdk);
}
