import { createModelManager } from '@agenticgen/adapters';
import { createAnthropicChatModel } from '@agenticgen/adapters/anthropic';
import { createGeminiChatModel } from '@agenticgen/adapters/gemini';
import { createOpenAIChatModel, createOpenAICompatibleChatModel } from '@agenticgen/adapters/openai';
import type { CacheStore, ChatModel } from '@agenticgen/core';
import type { Logger } from '../log.ts';
import type { ModelChoice } from './types.ts';

/**
 * The provider models configured by the environment, in the order the server prefers them:
 * `OPENAI_BASE_URL` (a local OpenAI-compatible server: Ollama, vLLM, llama.cpp), `OPENAI_API_KEY`,
 * `ANTHROPIC_API_KEY`, `GEMINI_API_KEY`. `AGENTICGEN_MODEL` overrides the model id of the first one.
 * `ANTHROPIC_BASE_URL` and `GEMINI_BASE_URL` point those SDKs at a proxy (or, in tests, a local fake server).
 */
export function providerModelsFromEnvironment(environment: NodeJS.ProcessEnv): ModelChoice[] {
  const chosen = environment.AGENTICGEN_MODEL;
  const choices: ModelChoice[] = [];
  const id = (fallback: string) => (choices.length === 0 && chosen ? chosen : fallback);
  if (environment.OPENAI_BASE_URL) {
    const modelId = id('llama3.2');
    choices.push({
      model: createOpenAICompatibleChatModel({
        baseURL: environment.OPENAI_BASE_URL,
        modelId,
        apiKey: environment.OPENAI_API_KEY ?? 'not-needed',
      }),
      label: `OpenAI-compatible ${modelId} at ${environment.OPENAI_BASE_URL}`,
      offlineDemo: false,
    });
  } else if (environment.OPENAI_API_KEY) {
    const modelId = id('gpt-4.1-mini');
    choices.push({
      model: createOpenAIChatModel({ modelId, apiKey: environment.OPENAI_API_KEY }),
      label: `OpenAI ${modelId}`,
      offlineDemo: false,
    });
  }
  if (environment.ANTHROPIC_API_KEY) {
    const modelId = id('claude-sonnet-4-20250514');
    choices.push({
      model: createAnthropicChatModel({
        modelId,
        apiKey: environment.ANTHROPIC_API_KEY,
        ...(environment.ANTHROPIC_BASE_URL ? { baseURL: environment.ANTHROPIC_BASE_URL } : {}),
      }),
      label: `Anthropic ${modelId}${environment.ANTHROPIC_BASE_URL ? ` at ${environment.ANTHROPIC_BASE_URL}` : ''}`,
      offlineDemo: false,
    });
  }
  if (environment.GEMINI_API_KEY) {
    const modelId = id('gemini-2.5-flash');
    choices.push({
      model: createGeminiChatModel({
        modelId,
        apiKey: environment.GEMINI_API_KEY,
        ...(environment.GEMINI_BASE_URL ? { baseURL: environment.GEMINI_BASE_URL } : {}),
      }),
      label: `Gemini ${modelId}${environment.GEMINI_BASE_URL ? ` at ${environment.GEMINI_BASE_URL}` : ''}`,
      offlineDemo: false,
    });
  }
  return choices;
}

/**
 * Puts every model behind @agenticgen/adapters' model manager: a response cache in the tiered cache (hits
 * and misses counted for the monitoring chart) and per-model concurrency limits. No silent fallback to the
 * demo model: a failing provider is an error the user should see.
 */
export function manageModels(
  choices: readonly ModelChoice[],
  options: { cache: CacheStore | undefined; log: Logger },
): ModelChoice[] {
  const names = choices.map((choice, index) => `${index}:${choice.model.provider}:${choice.model.modelId}`);
  const models: Record<string, { model: ChatModel; concurrency: number }> = {};
  choices.forEach((choice, index) => {
    models[names[index] as string] = { model: choice.model, concurrency: choice.offlineDemo ? 64 : 8 };
  });
  const manager = createModelManager({
    models,
    ...(options.cache === undefined
      ? {}
      : { cache: { store: options.cache, ttlMs: 5 * 60_000, namespace: 'starter:model' } }),
    // Cache hits and misses are counted by the metrics plugin from the tiered cache's own events.
    onEvent(event) {
      if (event.type === 'rate-limit-wait') options.log('info', 'model: waiting for a rate limit', event);
    },
  });
  return choices.map((choice, index) => {
    const managed = manager.get(names[index] as string);
    // The manager's model reports the inner provider and id, so labels and metrics stay meaningful.
    return { ...choice, model: managed };
  });
}
