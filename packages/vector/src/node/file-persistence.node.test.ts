import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHnswIndex } from '../indexes/hnsw-index.js';
import { clusteredVectors, row } from '../testing/random-vectors.js';
import { loadIndexFromFile, saveIndexToFile } from './file-persistence.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'agenticgen-index-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('index files', () => {
  it('saves atomically, loads back, and refuses damaged or missing files', async () => {
    const dims = 12;
    const data = clusteredVectors(200, dims, { seed: 2 });
    const index = await createHnswIndex({ dimensions: dims, M: 8 });
    await index.upsert(
      Array.from({ length: 200 }, (_, i) => ({ id: `n${i}`, vector: row(data, dims, i), metadata: { i } })),
    );
    const path = join(directory, 'docs.agvx');
    await saveIndexToFile(index, path);
    await saveIndexToFile(index, path);
    expect((await readdir(directory)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const loaded = await loadIndexFromFile(path);
    expect(await loaded.count()).toBe(200);
    const query = { vector: row(data, dims, 9), topK: 3 };
    expect(await loaded.query(query)).toEqual(await index.query(query));

    const bytes = await readFile(path);
    await writeFile(path, bytes.subarray(0, bytes.length - 100));
    await expect(loadIndexFromFile(path)).rejects.toMatchObject({ code: 'corrupt-index' });
    await expect(loadIndexFromFile(join(directory, 'missing.agvx'))).rejects.toMatchObject({ code: 'not-found' });
  });
});
