import type { Embedder } from '../contracts/embedder.js';
import { throwIfAborted } from '../errors/abort.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { analyze } from './text-analysis.js';

export interface HashingEmbedderOptions {
  /** Vector length (default 512). More dimensions mean fewer hash collisions. */
  dimensions?: number;
  /** Also hash character trigrams of each word, which helps with typos and word forms (default true). */
  characterTrigrams?: boolean;
}

/** 32-bit FNV-1a: fast, well spread, and the same in every JavaScript runtime. */
function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * An offline, deterministic embedder using the hashing trick: each word (and optionally each character
 * trigram) is hashed to a signed slot and the vector is L2-normalised. It is LEXICAL, not semantic —
 * "car" and "automobile" do not match — but it needs no model, no network and runs anywhere, which makes it
 * the default for tests, demos and offline use. Use a real embedding model for semantic search.
 */
export function createHashingEmbedder(options: HashingEmbedderOptions = {}): Embedder {
  const dimensions = options.dimensions ?? 512;
  const trigrams = options.characterTrigrams ?? true;
  if (!Number.isInteger(dimensions) || dimensions < 8) {
    throw new AgenticGenError(
      'invalid-argument',
      `[knowledge] hashing embedder dimensions must be an integer >= 8, got ${dimensions}`,
    );
  }
  const add = (vector: Float32Array, feature: string, weight: number) => {
    const hash = fnv1a(feature);
    // The sign bit comes from a second hash so collisions cancel out on average instead of piling up.
    const sign = fnv1a(feature, 0x9747b28c) & 1 ? 1 : -1;
    const slot = hash % dimensions;
    vector[slot] = (vector[slot] ?? 0) + sign * weight;
  };
  const embedOne = (text: string): Float32Array => {
    const vector = new Float32Array(dimensions);
    for (const term of analyze(text)) {
      add(vector, `w:${term}`, 1);
      if (trigrams && term.length > 3) {
        const padded = `^${term}$`;
        for (let index = 0; index + 3 <= padded.length; index++)
          add(vector, `c:${padded.slice(index, index + 3)}`, 0.25);
      }
    }
    let norm = 0;
    for (let index = 0; index < dimensions; index++) norm += (vector[index] ?? 0) ** 2;
    if (norm > 0) {
      const scale = 1 / Math.sqrt(norm);
      for (let index = 0; index < dimensions; index++) vector[index] = (vector[index] ?? 0) * scale;
    }
    return vector;
  };
  return {
    id: `hashing-${dimensions}${trigrams ? '' : '-words'}`,
    dimensions,
    normalized: true,
    async embed(texts, embedOptions = {}) {
      throwIfAborted(embedOptions.signal, 'knowledge');
      return texts.map(embedOne);
    },
  };
}
