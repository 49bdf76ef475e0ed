import type { Embedder, EmbedOptions } from '../contracts/embedder.js';
import { throwIfAborted } from '../errors/abort.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { defaultYieldEveryCharacters, yieldToEventLoop } from './ingest-pacing.js';
import { analyze } from './text-analysis.js';

/** Options of `createHashingEmbedder`. */
export interface HashingEmbedderOptions {
  /** Vector length, an integer from 8 to 65,536; default 384. More dimensions, fewer hash collisions. */
  dimensions?: number;
  /** Word n-gram sizes [min, max] with 1 ≤ min ≤ max ≤ 16; default [1, 2] (words and word pairs). */
  wordNgrams?: readonly [number, number];
  /** Character n-gram sizes inside each word [min, max]; default [3, 5]. `false` disables them. */
  characterNgrams?: readonly [number, number] | false;
  /** Weight of character n-grams relative to words, from 0 to 10; default 0.5. */
  characterWeight?: number;
  /** Integer seed of the hash, part of the id: different seeds give incompatible vectors. Default 0. */
  seed?: number;
  /**
   * How text becomes words before hashing; default `'words'`.
   * - `'words'`: every NFKC-normalised, lowercased letter/digit run, nothing removed or stripped. Works for any
   *   language, and a text of stop words only ("to be or not to be") stays distinct from the empty text.
   * - `'terms'`: the same terms as keyword (BM25) search — `analyzeText`: English stop words removed and light
   *   suffix stripping ("indexes", "indexing", "indexed" → "index"). Helps English retrieval with very few
   *   dimensions (128 or less), where stop words and word forms would otherwise crowd the slots.
   */
  textAnalysis?: 'terms' | 'words';
}

/** FNV-1a over UTF-16 code units, then a murmur3 finaliser so the low bits are well mixed. */
function hash(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = 0; index < text.length; index++) {
    h ^= text.charCodeAt(index);
    h = Math.imul(h, 0x01000193);
  }
  return finish(h);
}

/** The murmur3 finaliser of an FNV-1a state. */
function finish(state: number): number {
  let h = state;
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
  if (Array.isArray(range) && range.length === 2) {
    const [min, max]: unknown[] = range;
    if (
      typeof min === 'number' &&
      typeof max === 'number' &&
      Number.isInteger(min) &&
      Number.isInteger(max) &&
      min >= 1 &&
      max >= min &&
      max <= 16
    ) {
      return [min, max];
    }
  }
  throw new AgenticGenError(
    'invalid-config',
    `[knowledge] hashing embedder ${name} must be [min, max] integers with 1 ≤ min ≤ max ≤ 16, got ${JSON.stringify(range)}`,
    { data: { option: name } },
  );
}

/**
 * An offline, deterministic embedder: feature hashing (the "hashing trick") of word n-grams and character
 * n-grams, signed to cancel collisions on average, with sublinear term frequency and L2 normalisation.
 * It is LEXICAL: texts that share words and word pieces are close; synonyms and paraphrases are not
 * ("car" and "automobile" do not match). It needs no model and no network and runs anywhere, which makes it
 * the default for tests, demos, offline use, deduplication and keyword-like recall; use a neural embedding
 * model for meaning.
 */
export function createHashingEmbedder(options: HashingEmbedderOptions = {}): Embedder {
  const dimensions = options.dimensions ?? 384;
  if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 8 || dimensions > 65_536) {
    throw new AgenticGenError(
      'invalid-config',
      `[knowledge] hashing embedder dimensions must be an integer from 8 to 65536, got ${String(dimensions)}`,
      { data: { option: 'dimensions' } },
    );
  }
  const [wordMin, wordMax] = checkRange(options.wordNgrams ?? [1, 2], 'wordNgrams');
  const characterNgrams =
    options.characterNgrams === false ? false : checkRange(options.characterNgrams ?? [3, 5], 'characterNgrams');
  const characterWeight = options.characterWeight ?? 0.5;
  if (typeof characterWeight !== 'number' || !(characterWeight >= 0 && characterWeight <= 10)) {
    throw new AgenticGenError(
      'invalid-config',
      `[knowledge] hashing embedder characterWeight must be a number from 0 to 10, got ${String(characterWeight)}`,
      { data: { option: 'characterWeight' } },
    );
  }
  const seedOption = options.seed ?? 0;
  if (typeof seedOption !== 'number' || !Number.isSafeInteger(seedOption)) {
    throw new AgenticGenError(
      'invalid-config',
      `[knowledge] hashing embedder seed must be an integer, got ${String(seedOption)}`,
      { data: { option: 'seed' } },
    );
  }
  const seed = seedOption >>> 0;
  const textAnalysis = options.textAnalysis ?? 'words';
  if (textAnalysis !== 'terms' && textAnalysis !== 'words') {
    throw new AgenticGenError(
      'invalid-config',
      `[knowledge] hashing embedder textAnalysis must be "terms" or "words", got ${JSON.stringify(textAnalysis)}`,
      { data: { option: 'textAnalysis' } },
    );
  }
  const characterPart =
    characterNgrams === false ? 'c0' : `c${characterNgrams[0]}-${characterNgrams[1]}x${characterWeight}`;
  // The id names everything that changes the vectors, so caches and stored indexes never mix them up.
  const id = `hashing-v1-${dimensions}-w${wordMin}-${wordMax}-${characterPart}-s${seed}${textAnalysis === 'terms' ? '-terms' : ''}`;

  // Features are hashed as they are read (FNV-1a state carried across the prefix and the characters), never
  // built as strings: the same hashes as `hash(feature)`, without allocating one string per n-gram.
  const prefixState = (prefix: string) => {
    let h = (0x811c9dc5 ^ seed) >>> 0;
    for (let index = 0; index < prefix.length; index++) {
      h ^= prefix.charCodeAt(index);
      h = Math.imul(h, 0x01000193);
    }
    return h;
  };
  const wordPrefixes = Array.from({ length: wordMax + 1 }, (_, size) => prefixState(`w${size}:`));
  const characterPrefix = prefixState('c:');
  const feed = (state: number, text: string, from: number, to: number) => {
    let h = state;
    for (let index = from; index < to; index++) {
      h ^= text.charCodeAt(index);
      h = Math.imul(h, 0x01000193);
    }
    return h;
  };

  const embedOne = (text: string): Float32Array => {
    // feature hash → its slot in `features`/`occurrences`/`weights` (first-seen order), no object per feature.
    const counts = new Map<number, number>();
    const features: number[] = [];
    const occurrences: number[] = [];
    const weights: number[] = [];
    const add = (feature: number, weight: number) => {
      const position = counts.get(feature);
      if (position === undefined) {
        counts.set(feature, features.length);
        features.push(feature);
        occurrences.push(1);
        weights.push(weight);
      } else occurrences[position] = (occurrences[position] as number) + 1;
    };
    const words = textAnalysis === 'terms' ? analyze(text.normalize('NFKC')) : tokenize(text);
    for (let size = wordMin; size <= wordMax; size++) {
      for (let start = 0; start + size <= words.length; start++) {
        let h = wordPrefixes[size] as number;
        for (let offset = 0; offset < size; offset++) {
          if (offset > 0) h = Math.imul(h ^ 32, 0x01000193);
          const word = words[start + offset] as string;
          h = feed(h, word, 0, word.length);
        }
        add(finish(h), 1);
      }
    }
    if (characterNgrams !== false && characterWeight > 0) {
      for (const word of words) {
        const marked = `<${word}>`;
        for (let size = characterNgrams[0]; size <= characterNgrams[1]; size++) {
          for (let start = 0; start + size <= marked.length; start++)
            add(finish(feed(characterPrefix, marked, start, start + size)), characterWeight);
        }
      }
    }
    // Empty or symbol-only text still gets a unit vector (the same for all of them), never all zeros.
    if (counts.size === 0) add(hash('\u0000empty', seed), 1);
    const vector = new Float32Array(dimensions);
    for (let position = 0; position < features.length; position++) {
      const h = features[position] as number;
      const weight = weights[position] as number;
      // The sign comes from the top bit, the slot from the rest, so collisions cancel out on average.
      const sign = h & 0x80000000 ? -1 : 1;
      const slot = h % dimensions;
      // Sublinear term frequency: the tenth repeat of a word adds far less than the first.
      vector[slot] = (vector[slot] ?? 0) + sign * weight * (1 + Math.log(occurrences[position] as number));
    }
    let norm = 0;
    for (const value of vector) norm += value * value;
    norm = Math.sqrt(norm);
    // Colliding features can cancel exactly; fall back to the empty-text vector rather than zeros.
    if (norm === 0) return embedOne('');
    for (let index = 0; index < dimensions; index++) vector[index] = (vector[index] ?? 0) / norm;
    return vector;
  };

  return {
    id,
    dimensions,
    normalized: true,
    async embed(texts: readonly string[], embedOptions?: EmbedOptions): Promise<Float32Array[]> {
      if (!Array.isArray(texts) || !texts.every((text) => typeof text === 'string')) {
        throw new AgenticGenError('invalid-argument', '[knowledge] embed takes an array of strings');
      }
      throwIfAborted(embedOptions?.signal, 'knowledge');
      const vectors: Float32Array[] = [];
      let sinceYield = 0;
      for (const text of texts) {
        // A batch of long texts is milliseconds of work per text: yield to the event loop between slices of it
        // (a short query never reaches the budget), and check for cancellation there.
        if (sinceYield >= defaultYieldEveryCharacters) {
          sinceYield = 0;
          await yieldToEventLoop();
          throwIfAborted(embedOptions?.signal, 'knowledge');
        }
        vectors.push(embedOne(text));
        sinceYield += text.length;
      }
      return vectors;
    },
  };
}
