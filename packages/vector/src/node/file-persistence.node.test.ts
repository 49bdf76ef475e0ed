import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHnswIndex } from '../indexes/hnsw-index.js';
import { portableCrc32 } from '../persistence/binary-io.js';
import { clusteredVectors, row } from '../testing/random-vectors.js';
import { loadIndex, loadIndexFromFile, nodeCrc32, saveIndexToFile } from './file-persistence.js';

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

  it('reads the rows straight into the index memory and checks every section of the file', async () => {
    const dims = 16;
    const count = 300;
    const data = clusteredVectors(count, dims, { seed: 5 });
    // ~5.4 MB of metadata: the head is longer than the loader's first 4 MB read, so it reads again.
    const note = 'x'.repeat(18_000);
    const index = await createHnswIndex({ dimensions: dims, M: 6, efConstruction: 32 });
    await index.upsert(
      Array.from({ length: count }, (_, i) => ({ id: `p${i}`, vector: row(data, dims, i), metadata: { i, note } })),
    );
    await index.delete(['p7']);
    const path = join(directory, 'big-head.agvx');
    await saveIndexToFile(index, path);
    const bytes = await readFile(path);
    expect(bytes.length).toBeGreaterThan(4 << 20);
    const loaded = await loadIndexFromFile(path);
    expect(await loaded.count()).toBe(count - 1);
    for (const i of [0, 150, 299]) {
      const query = { vector: row(data, dims, i), topK: 5 };
      expect(await loaded.query(query)).toEqual(await index.query(query));
    }
    expect((await loaded.get(['p150']))[0]).toMatchObject({ metadata: { i: 150, note } });

    // One flipped bit in the rows (read into the index memory), in the links (tail) and in the head.
    const rowsStart = bytes.length - 4 - count * dims * 4 - (1 + 3 + 4 * 13 * count);
    for (const at of [bytes.length - 4 - 4 * 13 * 10, rowsStart + 1000, 3000]) {
      const damaged = Uint8Array.from(bytes);
      damaged[at]! ^= 0x10;
      await writeFile(path, damaged);
      await expect(loadIndexFromFile(path)).rejects.toMatchObject({ code: 'corrupt-index' });
    }
    await writeFile(path, bytes.subarray(0, 20));
    await expect(loadIndexFromFile(path)).rejects.toMatchObject({ code: 'corrupt-index' });
  });

  it("checks with Node's native CRC-32, which agrees with the portable one", async () => {
    const bytes = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 7919) & 255);
    expect(nodeCrc32(bytes, 0)).toBe(portableCrc32(bytes, 0));
    expect(nodeCrc32(bytes.subarray(500), nodeCrc32(bytes.subarray(0, 500), 0))).toBe(portableCrc32(bytes, 0));
    const index = await createHnswIndex({ dimensions: 4, M: 4 });
    await index.upsert([{ id: 'a', vector: [1, 2, 3, 4] }]);
    expect(await (await loadIndex(await index.save())).count()).toBe(1);
  });
});
