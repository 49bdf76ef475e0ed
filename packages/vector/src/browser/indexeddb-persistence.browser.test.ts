import { describe, expect, it } from 'vitest';
import { createFlatIndex } from '../indexes/flat-index.js';
import { createHnswIndex } from '../indexes/hnsw-index.js';
import { clusteredVectors, row } from '../testing/random-vectors.js';
import { deleteIndexFromIndexedDb, loadIndexFromIndexedDb, saveIndexToIndexedDb } from './indexeddb-persistence.js';

describe('IndexedDB persistence', () => {
  it('saves, loads, overwrites and deletes indexes in the browser', async () => {
    const dims = 16;
    const data = clusteredVectors(300, dims, { seed: 8 });
    const records = Array.from({ length: 300 }, (_, i) => ({
      id: `p${i}`,
      vector: row(data, dims, i),
      metadata: { i },
    }));
    const hnsw = await createHnswIndex({ dimensions: dims, M: 8 });
    await hnsw.upsert(records);
    const location = { database: `test-${Date.now()}`, key: 'docs' };
    expect(await loadIndexFromIndexedDb(location)).toBeUndefined();
    await saveIndexToIndexedDb(hnsw, location);
    const loaded = await loadIndexFromIndexedDb(location);
    expect(loaded?.name).toBe('hnsw');
    const query = { vector: row(data, dims, 17), topK: 4 };
    expect(await loaded!.query(query)).toEqual(await hnsw.query(query));

    const flat = await createFlatIndex({ dimensions: dims });
    await flat.upsert(records.slice(0, 10));
    await saveIndexToIndexedDb(flat, location);
    const replaced = await loadIndexFromIndexedDb(location);
    expect(replaced?.name).toBe('flat');
    expect(await replaced!.count()).toBe(10);

    await deleteIndexFromIndexedDb(location);
    expect(await loadIndexFromIndexedDb(location)).toBeUndefined();
  });

  it('refuses a damaged stored index', async () => {
    const location = { database: `test-bad-${Date.now()}`, key: 'bad' };
    const flat = await createFlatIndex({ dimensions: 4 });
    await flat.upsert([{ id: 'a', vector: [1, 2, 3, 4] }]);
    await saveIndexToIndexedDb(flat, location);
    // Damage the stored bytes directly.
    const database = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(location.database, 1);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    await new Promise<void>((resolve, reject) => {
      const transaction = database.transaction('indexes', 'readwrite');
      transaction.objectStore('indexes').put(new Uint8Array([65, 71, 86, 88, 1, 2, 3]), 'bad');
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error);
    });
    database.close();
    await expect(loadIndexFromIndexedDb(location)).rejects.toMatchObject({ code: 'corrupt-index' });
  });
});
