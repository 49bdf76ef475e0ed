import { AgenticGenError, type Embedder, type EmbedOptions, throwIfAborted } from '@agenticgen/core';
import { assertPositiveInteger } from '../indexes/validation.js';

/** Options of `createHashingEmbedder`. */
export interface HashingEmbedderOptions {
  /** Vector length; default 384. More dimensions, fewer hash collisions. */
  dimensions?: number;
  /** Word n-gram sizes [min, max]; default [1, 2] (words and word pairs). */
  wordNgrams?: readonly [number, number];
  /** Character n-gram sizes inside each word [min, max]; default [3, 5]. `false` disables them. */
  characterNgrams?: readonly [number, number] | false;
  /** Weight of character n-grams relative to words; default 0.5. */
  characterWeight?: number;
  /** Seed of the hash, part of the id: different seeds give incompatible vectors. Default 0. */
  seed?: number;
}

/** FNV-1a over UTF-16 code units, then a murmur3 finaliser so the low bits are well mixed. */
function hash(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function tokenize(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

function checkRange(range: unknown, name: string): [number, number] {
  const pair = range as [number, number];
  if (!Array.isArray(range) || range.length !== 2 || !(pair[0] >= 1 && pair[1] >= pair[0] && pair[1] <= 16)) {
    throw new AgenticGenError('invalid-config', `[vector] ${name} must be [min, max] with 1 ≤ min ≤ max ≤ 16`);
  }
  return [Math.floor(pair[0]), Math.floor(pair[1])];
}

/**
 * An offline, deterministic embedder: feature hashing (the "hashing trick") of word n-grams and character
 * n-grams, signed to cancel collisions on average, with sublinear term frequency and L2 normalisation.
 * It is LEXICAL: texts that share words and word pieces are close; synonyms and paraphrases are not.
 * Use it for tests, offline demos, deduplication and keyword-like recall; use a neural model for meaning.
 */
export function createHashingEmbedder(options: HashingEmbedderOptions = {}): Embedder {
  const dimensions = assertPositiveInteger(options.dimensions ?? 384, 'dimensions', 'vector', 65_536);
  const [wordMin, wordMax] = checkRange(options.wordNgrams ?? [1, 2], 'wordNgrams');
  const characterNgrams =
    options.characterNgrams === false ? false : checkRange(options.characterNgrams ?? [3, 5], 'characterNgrams');
  const characterWeight = options.characterWeight ?? 0.5;
  if (!(characterWeight >= 0 && characterWeight <= 10)) {
    throw new AgenticGenError('invalid-config', '[vector] characterWeight must be between 0 and 10');
  }
  const seed = Math.trunc(options.seed ?? 0) >>> 0;
  const characterPart =
    characterNgrams === false ? 'c0' : `c${characterNgrams[0]}-${characterNgrams[1]}x${characterWeight}`;
  const id = `hashing-v1-${dimensions}-w${wordMin}-${wordMax}-${characterPart}-s${seed}`;

  const embedOne = (text: string): Float32Array => {
    // feature → [occurrences, weight of its kind]
    const counts = new Map<string, [number, number]>();
    const add = (feature: string, weight: number) => {
      const entry = counts.get(feature);
      if (entry === undefined) counts.set(feature, [1, weight]);
      else entry[0]++;
    };
    const words = tokenize(text);
    for (let size = wordMin; size <= wordMax; size++) {
      for (let start = 0; start + size <= words.length; start++)
        add(`w${size}:${words.slice(start, start + size).join(' ')}`, 1);
    }
    if (characterNgrams !== false && characterWeight > 0) {
      for (const word of words) {
        const marked = `<${word}>`;
        for (let size = characterNgrams[0]; size <= characterNgrams[1]; size++) {
          for (let start = 0; start + size <= marked.length; start++)
            add(`c:${marked.slice(start, start + size)}`, characterWeight);
        }
      }
    }
    // Empty or symbol-only text still gets a unit vector (the same for all of them), never all zeros.
    if (counts.size === 0) add('\u0000empty', 1);
    const vector = new Float32Array(dimensions);
    for (const [feature, [occurrences, weight]] of counts) {
      const h = hash(feature, seed);
      const sign = h & 0x80000000 ? -1 : 1;
      // Sublinear term frequency: the tenth repeat of a word adds far less than the first.
      vector[h % dimensions]! += sign * weight * (1 + Math.log(occurrences));
    }
    let norm = 0;
    for (let i = 0; i < dimensions; i++) norm += vector[i]! * vector[i]!;
    norm = Math.sqrt(norm);
    // Colliding features can cancel exactly; fall back to the empty-text vector rather than zeros.
    if (norm === 0) return embedOne('');
    for (let i = 0; i < dimensions; i++) vector[i]! /= norm;
    return vector;
  };

  return {
    id,
    dimensions,
    normalized: true,
    async embed(texts: readonly string[], embedOptions?: EmbedOptions): Promise<Float32Array[]> {
      if (!Array.isArray(texts) || !texts.every((text) => typeof text === 'string')) {
        throw new AgenticGenError('invalid-argument', '[vector] embed takes an array of strings');
      }
      const vectors: Float32Array[] = [];
      for (const [index, text] of texts.entries()) {
        if (index % 256 === 0) throwIfAborted(embedOptions?.signal, 'vector');
        vectors.push(embedOne(text));
      }
      return vectors;
    },
  };
}
