import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { AgenticGenError } from '@agenticgen/core';
import type { FlatIndex } from '../indexes/flat-index.js';
import type { HnswIndex } from '../indexes/hnsw-index.js';
import { type LoadIndexOptions, loadIndex } from '../persistence/load-index.js';

/**
 * Saves an index to `path` atomically: the bytes go to a temporary file beside it, which is renamed over
 * the target, so a crash mid-write leaves the previous file intact, never a truncated one.
 */
export async function saveIndexToFile(index: FlatIndex | HnswIndex, path: string): Promise<void> {
  const bytes = await index.save();
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, bytes, { flush: true });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Loads an index saved with `saveIndexToFile`; a damaged file throws `corrupt-index`, a missing one `not-found`. */
export async function loadIndexFromFile(path: string, options: LoadIndexOptions = {}): Promise<FlatIndex | HnswIndex> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    if ((cause as { code?: string }).code === 'ENOENT') {
      throw new AgenticGenError('not-found', `[vector] no index file at ${path}; save one with saveIndexToFile first`, {
        cause,
      });
    }
    throw cause;
  }
  return loadIndex(bytes, options);
}
