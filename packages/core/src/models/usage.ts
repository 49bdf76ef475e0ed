import type { Usage } from '../contracts/chat-model.js';

/** The sum of two usages; optional counters stay absent unless either side reports them. */
export function addUsage(total: Usage, add: Usage): Usage {
  const sum: Usage = {
    inputTokens: total.inputTokens + add.inputTokens,
    outputTokens: total.outputTokens + add.outputTokens,
    totalTokens: total.totalTokens + add.totalTokens,
  };
  if (total.reasoningTokens !== undefined || add.reasoningTokens !== undefined) {
    sum.reasoningTokens = (total.reasoningTokens ?? 0) + (add.reasoningTokens ?? 0);
  }
  if (total.cachedInputTokens !== undefined || add.cachedInputTokens !== undefined) {
    sum.cachedInputTokens = (total.cachedInputTokens ?? 0) + (add.cachedInputTokens ?? 0);
  }
  return sum;
}
