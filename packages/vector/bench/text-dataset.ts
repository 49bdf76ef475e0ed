/**
 * A real-text benchmark set made offline from the documentation installed with the repository's
 * dependencies: every `*.md` file and the doc comments of every `*.d.ts` file under node_modules, cut into
 * passages of 16 words (about a sentence) that do not overlap (overlapping windows would make each passage's nearest neighbours its own near-duplicate halves, an easy set), de-duplicated, embedded with hashed
 * TF-IDF (sublinear tf, smoothed idf) and a seeded sparse random projection to `dimensions`, L2-normalised.
 * Text neighbourhoods are far less clustered than the Gaussian clusters, so HNSW needs a much wider beam
 * for the same recall: this is the data the "real text" figures come from.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const passageWords = 16;
const passageStride = 16;
/** Non-zero entries per hashed feature in the sparse projection (±1 each). */
const projectionFanout = 8;

function listFiles(directory: string, out: string[]): void {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) listFiles(path, out);
    else if (entry.isFile() && (entry.name.endsWith('.md') || entry.name.endsWith('.d.ts'))) out.push(path);
  }
}

/** Doc comments of a declaration file (lines of block and line comments). */
function docComments(source: string): string {
  const lines: string[] = [];
  for (const line of source.split('\n')) {
    const match = /^\s*(?:\/\*\*|\*|\/\/)\s?(.*)$/.exec(line);
    if (match !== null && !match[1]!.startsWith('/')) lines.push(match[1]!);
  }
  return lines.join(' ');
}

/** FNV-1a, then a murmur finaliser: a stable 32-bit hash of a token. */
function hash(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** `count` passages of real documentation text, in a fixed order (sorted paths, first occurrence wins). */
export function documentationPassages(nodeModules: string, count: number): string[] {
  const files: string[] = [];
  listFiles(nodeModules, files);
  files.sort();
  const seenFiles = new Set<number>();
  const seenPassages = new Set<string>();
  const passages: string[] = [];
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    const text = file.endsWith('.md') ? source : docComments(source);
    const fingerprint = hash(text, 7);
    if (seenFiles.has(fingerprint)) continue;
    seenFiles.add(fingerprint);
    const words = text
      .replace(/```[\s\S]*?```/g, ' ')
      .split(/\s+/)
      .filter((word) => /[A-Za-z]{2}/.test(word));
    for (let start = 0; start + passageWords <= words.length; start += passageStride) {
      const passage = words.slice(start, start + passageWords).join(' ');
      if (seenPassages.has(passage)) continue;
      seenPassages.add(passage);
      passages.push(passage);
    }
  }
  if (passages.length < count) {
    throw new Error(`[bench] only ${passages.length} distinct passages under ${nodeModules}, ${count} wanted`);
  }
  // Spread the sample over all packages instead of taking the alphabetically first ones.
  const step = passages.length / count;
  return Array.from({ length: count }, (_, index) => passages[Math.floor(index * step)]!);
}

function tokens(passage: string): string[] {
  return passage.toLowerCase().match(/[a-z][a-z0-9_]+/g) ?? [];
}

/**
 * Hashed TF-IDF + seeded sparse random projection: each token hashes to `projectionFanout` (dimension, ±1)
 * pairs, so the projection matrix is never stored. Rows are L2-normalised (cosine = dot).
 */
export function embedPassages(passages: readonly string[], dimensions: number, seed = 2024): Float32Array {
  const documentFrequency = new Map<string, number>();
  const tokenized = passages.map((passage) => {
    const counts = new Map<string, number>();
    for (const token of tokens(passage)) counts.set(token, (counts.get(token) ?? 0) + 1);
    for (const token of counts.keys()) documentFrequency.set(token, (documentFrequency.get(token) ?? 0) + 1);
    return counts;
  });
  const total = passages.length;
  const vectors = new Float32Array(total * dimensions);
  const projection = new Map<string, Int32Array>();
  for (const [row, counts] of tokenized.entries()) {
    const base = row * dimensions;
    for (const [token, frequency] of counts) {
      const weight = (1 + Math.log(frequency)) * Math.log((1 + total) / (1 + documentFrequency.get(token)!));
      let targets = projection.get(token);
      if (targets === undefined) {
        targets = new Int32Array(projectionFanout);
        for (let k = 0; k < projectionFanout; k++) {
          const h = hash(token, seed + k);
          // Low bit: sign; the rest: dimension (stored as ±(dimension + 1)).
          targets[k] = ((h >>> 1) % dimensions) + 1;
          if ((h & 1) === 1) targets[k] = -targets[k]!;
        }
        projection.set(token, targets);
      }
      for (const target of targets) {
        if (target > 0) vectors[base + target - 1]! += weight;
        else vectors[base - target - 1]! -= weight;
      }
    }
    let norm = 0;
    for (let d = 0; d < dimensions; d++) norm += vectors[base + d]! * vectors[base + d]!;
    // A passage with no informative token (never seen in practice) would stay zero: give it a direction.
    if (norm === 0) vectors[base] = 1;
    else {
      const scale = 1 / Math.sqrt(norm);
      for (let d = 0; d < dimensions; d++) vectors[base + d]! *= scale;
    }
  }
  return vectors;
}

/**
 * Splits `count + queryCount` embedded passages into the base set and the held-out queries: every
 * (count / queryCount + 1)-th passage is a query, so queries come from the whole corpus, not its end.
 */
export function holdOutQueries(
  all: Float32Array,
  count: number,
  queryCount: number,
  dimensions: number,
): { base: Float32Array; queries: Float32Array } {
  const queryRows = new Set(
    Array.from({ length: queryCount }, (_, index) => Math.floor((index * (count + queryCount)) / queryCount)),
  );
  const base = new Float32Array(count * dimensions);
  const queries = new Float32Array(queryCount * dimensions);
  let baseRow = 0;
  let queryRow = 0;
  for (let row = 0; row < count + queryCount; row++) {
    const vector = all.subarray(row * dimensions, (row + 1) * dimensions);
    if (queryRows.has(row)) queries.set(vector, dimensions * queryRow++);
    else base.set(vector, dimensions * baseRow++);
  }
  return { base, queries };
}
