import { AgenticGenError } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { createFlatIndex } from '../indexes/flat-index.js';
import { createHnswIndex } from '../indexes/hnsw-index.js';
import { clusteredVectors, createRandom, row } from '../testing/random-vectors.js';
import { loadIndex } from './load-index.js';

const dims = 20;
const data = clusteredVectors(400, dims, { seed: 4 });
const records = Array.from({ length: 400 }, (_, index) => ({
  id: `r-${index}-ü`,
  vector: row(data, dims, index).slice(),
  metadata: { n: index, tag: index % 2 ? 'odd' : 'even', ok: true, none: null },
}));
const queries = [5, 77, 390].map((index) => row(data, dims, index));

async function sameAnswers(a: { query: (q: never) => Promise<unknown> }, b: typeof a) {
  for (const vector of queries) {
    const request = { vector, topK: 7, includeVectors: true } as never;
    expect(await b.query(request)).toEqual(await a.query(request));
    const filtered = { vector, topK: 7, filter: { tag: 'odd' } } as never;
    expect(await b.query(filtered)).toEqual(await a.query(filtered));
  }
}

function corruptCode(run: () => Promise<unknown>) {
  return run().then(
    () => 'loaded',
    (error: unknown) => (AgenticGenError.isInstance(error) ? error.code : String(error)),
  );
}

describe('index persistence', () => {
  const variants = [
    ['flat', () => createFlatIndex({ dimensions: dims, metric: 'l2' })],
    ['flat int8', () => createFlatIndex({ dimensions: dims, quantization: 'int8' })],
    ['hnsw', () => createHnswIndex({ dimensions: dims, metric: 'dot', M: 8, efConstruction: 40 })],
    ['hnsw int8-only', () => createHnswIndex({ dimensions: dims, quantization: 'int8', rerank: false, M: 8 })],
  ] as const;

  for (const [name, create] of variants) {
    it(`round-trips a ${name} index with tombstones, metadata and settings`, async () => {
      const index = await create();
      await index.upsert(records);
      await index.delete(['r-3-ü', 'r-10-ü']);
      const bytes = await index.save();
      const loaded = await loadIndex(bytes);
      expect(loaded.name).toBe(index.name);
      expect(loaded.metric).toBe(index.metric);
      expect(await loaded.count()).toBe(398);
      expect(loaded.storage.layout).toEqual(index.storage.layout);
      await sameAnswers(index as never, loaded as never);
      // The loaded index keeps working: writes and a second round trip.
      await loaded.upsert([{ id: 'new', vector: queries[0]!, metadata: { n: -1 } }]);
      const found = await loaded.query({ vector: queries[0]!, topK: 10, filter: { n: -1 } });
      expect(found.map((match) => match.id)).toEqual(['new']);
      expect((await loaded.get(['new']))[0]!.metadata).toEqual({ n: -1 });
      const again = await loadIndex(await loaded.save(), { kernels: 'typescript' });
      expect(again.kernels).toBe('typescript');
      expect(await again.count()).toBe(399);
    });
  }

  it('keeps the level generator state: the same inserts after a load build the same graph', async () => {
    const more = clusteredVectors(600, dims, { seed: 9 });
    const later = Array.from({ length: 400 }, (_, index) => ({ id: `later-${index}`, vector: row(more, dims, index) }));
    const probes = Array.from({ length: 200 }, (_, index) => row(more, dims, 400 + index));
    const original = await createHnswIndex({ dimensions: dims, M: 6, efConstruction: 24, efSearch: 8 });
    await original.upsert(records);
    const loaded = await loadIndex(await original.save());
    await original.upsert(later);
    await loaded.upsert(later);
    const levels = (index: typeof original) => Array.from(index.graph.levels.subarray(0, index.storage.size));
    expect(levels(loaded as typeof original)).toEqual(levels(original));
    let differing = 0;
    for (const vector of probes) {
      const [a, b] = [await original.query({ vector, topK: 10 }), await loaded.query({ vector, topK: 10 })];
      if (JSON.stringify(a) !== JSON.stringify(b)) differing++;
    }
    expect(differing).toBe(0);
  });

  it('still reads version 1 files, which lack the level generator state', async () => {
    const index = await createHnswIndex({ dimensions: dims, M: 8 });
    await index.upsert(records.slice(0, 50));
    const current = await index.save();
    // Header (20 bytes) + HNSW header (40 bytes), then the 4-byte generator state that version 1 lacks.
    const old = new Uint8Array(current.length - 4);
    old.set(current.subarray(0, 60));
    old.set(current.subarray(64), 60);
    old[4] = 1;
    const { crc32 } = await import('./binary-io.js');
    new DataView(old.buffer).setUint32(old.length - 4, crc32(old, 0, old.length - 4), true);
    const loaded = await loadIndex(old);
    expect(await loaded.count()).toBe(50);
    expect(await loaded.query({ vector: queries[0]!, topK: 3 })).toEqual(
      await index.query({ vector: queries[0]!, topK: 3 }),
    );
  });

  it('is compact: about dims × 4 bytes per vector plus ids, metadata and links', async () => {
    const index = await createFlatIndex({ dimensions: dims });
    await index.upsert(records.map((record) => ({ id: record.id, vector: record.vector })));
    const bytes = await index.save();
    expect(bytes.length).toBeLessThan(400 * (dims * 4 + 4 + 4 + 1 + 10 + 3) + 200);
  });

  it('detects truncation and corruption anywhere and never returns an index', async () => {
    const index = await createHnswIndex({ dimensions: dims, M: 8 });
    await index.upsert(records.slice(0, 100));
    const bytes = await index.save();
    const random = createRandom(17);
    for (const length of [0, 3, 27, 100, Math.floor(bytes.length / 2), bytes.length - 1]) {
      expect(await corruptCode(() => loadIndex(bytes.slice(0, length)))).toBe('corrupt-index');
    }
    for (let trial = 0; trial < 25; trial++) {
      const damaged = bytes.slice();
      const at = Math.floor(random() * damaged.length);
      damaged[at] = damaged[at]! ^ (1 + Math.floor(random() * 255));
      expect(await corruptCode(() => loadIndex(damaged))).toBe('corrupt-index');
    }
    const extended = new Uint8Array(bytes.length + 8);
    extended.set(bytes);
    expect(await corruptCode(() => loadIndex(extended))).toBe('corrupt-index');
    expect(await corruptCode(() => loadIndex('nope' as never))).toBe('invalid-argument');
  });

  it('reports a newer format version as unsupported, not corrupt', async () => {
    const index = await createFlatIndex({ dimensions: dims });
    await index.upsert(records.slice(0, 3));
    const bytes = await index.save();
    bytes[4] = 9;
    // Re-seal the checksum so only the version differs.
    const { crc32 } = await import('./binary-io.js');
    new DataView(bytes.buffer).setUint32(bytes.length - 4, crc32(bytes, 0, bytes.length - 4), true);
    expect(await corruptCode(() => loadIndex(bytes))).toBe('unsupported');
  });

  it('refuses a file whose live ids repeat (checksum intact) and shares one empty metadata object', async () => {
    const index = await createHnswIndex({ dimensions: dims, M: 8 });
    await index.upsert(records.slice(0, 20).map(({ id, vector }) => ({ id, vector })));
    const bytes = await index.save();
    const loaded = await loadIndex(bytes);
    expect(loaded.storage.metadata[0]).toBe(loaded.storage.metadata[1]);
    expect(Object.isFrozen(loaded.storage.metadata[0])).toBe(true);
    expect((await loaded.get(['r-1-ü']))[0]!.metadata).toEqual({});
    // "r-1-ü" → "r-2-ü": same length, so only the id differs; then re-seal the checksum.
    const text = new TextEncoder().encode('r-1-ü');
    const at = bytes.findIndex((_, i) => text.every((byte, k) => bytes[i + k] === byte));
    bytes[at + 2] = '2'.charCodeAt(0);
    const { crc32 } = await import('./binary-io.js');
    new DataView(bytes.buffer).setUint32(bytes.length - 4, crc32(bytes, 0, bytes.length - 4), true);
    expect(await corruptCode(() => loadIndex(bytes))).toBe('corrupt-index');
  });
});
