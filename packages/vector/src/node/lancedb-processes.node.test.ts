/**
 * Concurrent writers in separate processes on one LanceDB table: no lost and no duplicated rows. The
 * writers run the built package (dist), as an application would; before a build the test is skipped (fails in CI).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtFileExists } from '../../../../test-support/built-package.js';
import { createLanceDbStore } from './lancedb-store.js';

const entry = fileURLToPath(new URL('../../dist/index.node.js', import.meta.url));
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'agenticgen-lancedb-processes-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

const writerSource = (entryUrl: string) => `
import { createLanceDbStore } from ${JSON.stringify(entryUrl)};
const [uri, worker] = process.argv.slice(2);
const store = await createLanceDbStore({ uri, table: 'shared', dimensions: 8, compactEveryWrites: 4 });
for (let batch = 0; batch < 12; batch++) {
  // Ids overlap between consecutive batches and between the processes.
  const records = Array.from({ length: 30 }, (_, i) => ({
    id: 'r' + (batch * 20 + i),
    vector: Array.from({ length: 8 }, (_, d) => Math.sin(batch * 31 + i * 7 + d + Number(worker))),
    metadata: { worker: Number(worker), batch },
  }));
  await store.upsert(records);
}
await store.dispose();
`;

function run(script: string, worker: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, directory, String(worker)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`writer ${worker} exited ${code}: ${stderr.slice(-2000)}`)),
    );
  });
}

describe('LanceDB store across processes', () => {
  it.skipIf(!builtFileExists(entry, 'the multi-process LanceDB test'))(
    'three processes upserting overlapping ids leave exactly one row per id',
    async () => {
      const script = join(directory, 'writer.mjs');
      await writeFile(script, writerSource(pathToFileURL(entry).href));
      await Promise.all([1, 2, 3].map((worker) => run(script, worker)));
      const store = await createLanceDbStore({ uri: directory, table: 'shared', dimensions: 8 });
      try {
        expect(await store.count()).toBe(250);
        const ids = Array.from({ length: 250 }, (_, i) => `r${i}`);
        const records = await store.get(ids);
        expect(records).toHaveLength(250);
        expect(new Set(records.map((record) => record.id)).size).toBe(250);
      } finally {
        await store.dispose();
      }
    },
    120_000,
  );
});
