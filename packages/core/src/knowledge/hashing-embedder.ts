import type { Embedder, EmbedOptions } from '../contracts/embedder.js';
import { throwIfAborted } from '../errors/abort.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { defaultSliceCharacters, defaultYieldEveryMs, yieldToEventLoop } from './ingest-pacing.js';
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

  // Feature counting in typed arrays reused across calls (embedOne is synchronous): an open-addressing table
  // from feature hash to its position in first-seen order, and per position the hash, the count and the weight.
  // No Map, no object and no string per feature; the sums run in first-seen order, so vectors are the same.
  let tableSize = 4_096;
  let table = new Int32Array(tableSize); // position + 1, 0 = empty
  let keys = new Uint32Array(tableSize); // feature hash per table slot
  let capacity = tableSize >>> 1;
  let features = new Uint32Array(capacity);
  let occurrences = new Int32Array(capacity);
  let weights = new Float64Array(capacity);
  let slotsUsed = new Int32Array(capacity); // table slot of each position, to clear the table afterwards
  let count = 0;
  const grow = () => {
    const previousFeatures = features;
    const previousOccurrences = occurrences;
    const previousWeights = weights;
    tableSize *= 2;
    capacity = tableSize >>> 1;
    table = new Int32Array(tableSize);
    keys = new Uint32Array(tableSize);
    features = new Uint32Array(capacity);
    occurrences = new Int32Array(capacity);
    weights = new Float64Array(capacity);
    slotsUsed = new Int32Array(capacity);
    features.set(previousFeatures.subarray(0, count));
    occurrences.set(previousOccurrences.subarray(0, count));
    weights.set(previousWeights.subarray(0, count));
    const mask = tableSize - 1;
    for (let position = 0; position < count; position++) {
      const feature = features[position] as number;
      let slot = feature & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = position + 1;
      keys[slot] = feature;
      slotsUsed[position] = slot;
    }
  };
  const add = (feature: number, weight: number) => {
    const mask = tableSize - 1;
    let slot = feature & mask;
    for (;;) {
      const entry = table[slot] as number;
      if (entry === 0) break;
      if (keys[slot] === feature) {
        occurrences[entry - 1] = (occurrences[entry - 1] as number) + 1;
        return;
      }
      slot = (slot + 1) & mask;
    }
    table[slot] = count + 1;
    keys[slot] = feature;
    features[count] = feature;
    occurrences[count] = 1;
    weights[count] = weight;
    slotsUsed[count] = slot;
    count++;
    if (count >= capacity) grow();
  };
  // FNV-1a states of the character n-grams of one word, by size then start (the order they are added in).
  const [characterMin, characterMax] = characterNgrams === false ? [0, 0] : characterNgrams;
  let gramStates = new Uint32Array(256);

  const embedOne = (text: string): Float32Array => {
    count = 0;
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
      const sizes = characterMax - characterMin + 1;
      for (const word of words) {
        // The word between markers, `<word>`, read without building the string: position i is '<' at 0, '>'
        // at the end, else the word's character i - 1. Each start's state grows one character at a time and is
        // taken at every size, instead of re-hashing the n-gram from its first character for every size.
        const length = word.length + 2;
        if (gramStates.length < sizes * length) gramStates = new Uint32Array(sizes * length * 2);
        for (let start = 0; start + characterMin <= length; start++) {
          let h = characterPrefix;
          const last = Math.min(length, start + characterMax);
          for (let index = start; index < last; index++) {
            const code = index === 0 ? 60 : index === length - 1 ? 62 : word.charCodeAt(index - 1);
            h = Math.imul(h ^ code, 0x01000193);
            const size = index - start + 1;
            if (size >= characterMin) gramStates[(size - characterMin) * length + start] = h;
          }
        }
        for (let size = characterMin; size <= characterMax; size++) {
          const row = (size - characterMin) * length;
          for (let start = 0; start + size <= length; start++) {
            add(finish(gramStates[row + start] as number), characterWeight);
          }
        }
      }
    }
    // Empty or symbol-only text still gets a unit vector (the same for all of them), never all zeros.
    if (count === 0) add(hash('\u0000empty', seed), 1);
    const vector = new Float32Array(dimensions);
    for (let position = 0; position < count; position++) {
      const h = features[position] as number;
      const weight = weights[position] as number;
      // The sign comes from the top bit, the slot from the rest, so collisions cancel out on average.
      const sign = h & 0x80000000 ? -1 : 1;
      const slot = h % dimensions;
      // Sublinear term frequency: the tenth repeat of a word adds far less than the first.
      const repeats = occurrences[position] as number;
      vector[slot] = (vector[slot] as number) + sign * weight * (repeats === 1 ? 1 : 1 + Math.log(repeats));
      table[slotsUsed[position] as number] = 0;
    }
    count = 0;
    let norm = 0;
    for (let index = 0; index < dimensions; index++) norm += (vector[index] as number) * (vector[index] as number);
    norm = Math.sqrt(norm);
    // Colliding features can cancel exactly; fall back to the empty-text vector rather than zeros.
    if (norm === 0) return embedOne('');
    for (let index = 0; index < dimensions; index++) vector[index] = (vector[index] as number) / norm;
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
      let lastYield = texts.length > 1 ? performance.now() : 0;
      for (const text of texts) {
        // A batch of long texts is milliseconds of work per text: yield to the event loop between slices of it
        // (after a slice's worth of characters or the pacing time, whichever comes first; a short query never
        // reaches either), and check for cancellation there.
        if (
          sinceYield >= defaultSliceCharacters ||
          (sinceYield > 0 && performance.now() - lastYield >= defaultYieldEveryMs)
        ) {
          sinceYield = 0;
          await yieldToEventLoop();
          lastYield = performance.now();
          throwIfAborted(embedOptions?.signal, 'knowledge');
        }
        vectors.push(embedOne(text));
        sinceYield += text.length;
      }
      return vectors;
    },
  };
}
