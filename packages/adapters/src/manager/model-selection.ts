import type { ChatRequest, ModelCapabilities } from '@agenticgen/core';

/** Requirements for `select`. */
export interface ModelRequirements extends Partial<Omit<ModelCapabilities, 'contextWindow' | 'maxOutputTokens'>> {
  /** Smallest acceptable context window in tokens. */
  minContextWindow?: number;
  /** Smallest acceptable output limit in tokens. */
  minOutputTokens?: number;
}

/** True when the capabilities satisfy every stated requirement. */
export function meets(capabilities: ModelCapabilities, requirements: ModelRequirements): boolean {
  for (const flag of ['tools', 'vision', 'structuredOutput', 'streaming', 'reasoning'] as const) {
    if (requirements[flag] === true && capabilities[flag] !== true) return false;
  }
  if (requirements.minContextWindow !== undefined && capabilities.contextWindow < requirements.minContextWindow)
    return false;
  if (
    requirements.minOutputTokens !== undefined &&
    (capabilities.maxOutputTokens === undefined || capabilities.maxOutputTokens < requirements.minOutputTokens)
  ) {
    return false;
  }
  return true;
}

/** About four characters per token, plus the output budget the request allows. */
export function defaultTokenEstimate(request: ChatRequest): number {
  let characters = 0;
  for (const message of request.messages) {
    if (typeof message.content === 'string') characters += message.content.length;
    else characters += JSON.stringify(message.content).length;
  }
  return Math.ceil(characters / 4) + (request.maxOutputTokens ?? 0);
}
