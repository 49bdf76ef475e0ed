import { compareModels } from '@agenticgen/adapters';
import type { ChatModel } from '@agenticgen/core';
import type { ModelChoice } from '../services/types.ts';

/** Runs one prompt on several models with @agenticgen/adapters' `compareModels` (latency, tokens, cost, output). */
export async function compareChoices(choices: readonly ModelChoice[], prompt: string, maxOutputTokens: number) {
  const models: Record<string, ChatModel> = {};
  for (const choice of choices) models[choice.label] = choice.model;
  const comparison = await compareModels({ models, prompt, request: { maxOutputTokens } });
  return { ...comparison.toJSON(), markdown: comparison.toMarkdown() };
}
