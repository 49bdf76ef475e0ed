import type { Usage } from '@agenticgen/core';

/** Price of one model in US dollars per million tokens. */
export interface ModelPrice {
  /** Prompt tokens. */
  inputPerMillion: number;
  /** Completion tokens (reasoning included). */
  outputPerMillion: number;
  /** Prompt tokens served from the provider's cache; defaults to `inputPerMillion`. */
  cachedInputPerMillion?: number;
}

/**
 * Prices keyed by `provider:modelId` or by a bare model id. Lookups try the exact `provider:model` key, then
 * the bare id, then the longest key that prefixes the id (so dated snapshots such as
 * `gpt-4.1-mini-2025-04-14` find `gpt-4.1-mini`).
 */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * List prices as published by the providers when this package was written. Prices change: extend or
 * override them with `createPriceTable({ ... })` rather than trusting these for billing.
 */
export const defaultPrices: PriceTable = {
  'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8, cachedInputPerMillion: 0.5 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6, cachedInputPerMillion: 0.1 },
  'gpt-4.1-nano': { inputPerMillion: 0.1, outputPerMillion: 0.4, cachedInputPerMillion: 0.025 },
  'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10, cachedInputPerMillion: 1.25 },
  'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6, cachedInputPerMillion: 0.075 },
  o3: { inputPerMillion: 2, outputPerMillion: 8, cachedInputPerMillion: 0.5 },
  'o4-mini': { inputPerMillion: 1.1, outputPerMillion: 4.4, cachedInputPerMillion: 0.275 },
  'text-embedding-3-small': { inputPerMillion: 0.02, outputPerMillion: 0 },
  'text-embedding-3-large': { inputPerMillion: 0.13, outputPerMillion: 0 },
  'claude-opus-4': { inputPerMillion: 15, outputPerMillion: 75, cachedInputPerMillion: 1.5 },
  'claude-sonnet-4': { inputPerMillion: 3, outputPerMillion: 15, cachedInputPerMillion: 0.3 },
  'claude-3-7-sonnet': { inputPerMillion: 3, outputPerMillion: 15, cachedInputPerMillion: 0.3 },
  'claude-haiku-4-5': { inputPerMillion: 1, outputPerMillion: 5, cachedInputPerMillion: 0.1 },
  'claude-3-5-haiku': { inputPerMillion: 0.8, outputPerMillion: 4, cachedInputPerMillion: 0.08 },
  'gemini-2.5-pro': { inputPerMillion: 1.25, outputPerMillion: 10, cachedInputPerMillion: 0.31 },
  'gemini-2.5-flash': { inputPerMillion: 0.3, outputPerMillion: 2.5, cachedInputPerMillion: 0.075 },
  'gemini-2.5-flash-lite': { inputPerMillion: 0.1, outputPerMillion: 0.4, cachedInputPerMillion: 0.025 },
  'gemini-2.0-flash': { inputPerMillion: 0.1, outputPerMillion: 0.4, cachedInputPerMillion: 0.025 },
};

/** The default table extended (or overridden) by `extra`. */
export function createPriceTable(extra: PriceTable = {}, base: PriceTable = defaultPrices): PriceTable {
  return { ...base, ...extra };
}

/** The price entry for a model, or `undefined` when the table does not know it. */
export function findPrice(table: PriceTable, provider: string, modelId: string): ModelPrice | undefined {
  const exact = table[`${provider}:${modelId}`] ?? table[modelId];
  if (exact !== undefined) return exact;
  let best: { score: number; price: ModelPrice } | undefined;
  for (const [key, price] of Object.entries(table)) {
    const qualified = key.startsWith(`${provider}:`);
    const bare = qualified ? key.slice(provider.length + 1) : key;
    if (bare.includes(':') || !modelId.startsWith(bare)) continue;
    // Longest prefix wins; on a tie the provider-qualified entry does.
    const score = bare.length * 2 + (qualified ? 1 : 0);
    if (best === undefined || score > best.score) best = { score, price };
  }
  return best?.price;
}

/** Estimated cost in US dollars, or `undefined` when the model has no price. */
export function estimateCost(table: PriceTable, provider: string, modelId: string, usage: Usage): number | undefined {
  const price = findPrice(table, provider, modelId);
  if (price === undefined) return undefined;
  const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
  const fresh = usage.inputTokens - cached;
  const cost =
    (fresh * price.inputPerMillion +
      cached * (price.cachedInputPerMillion ?? price.inputPerMillion) +
      usage.outputTokens * price.outputPerMillion) /
    1_000_000;
  // Round to a billionth of a dollar so sums do not show float noise.
  return Math.round(cost * 1e9) / 1e9;
}
