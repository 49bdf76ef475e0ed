import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMetricsSnapshot } from './report.js';
import { createHost, expectMerged } from './test-support/expect-merged.js';

describe('snapshots merge across worker_threads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agenticgen-metrics-worker-'));
  const bundle = join(dir, 'worker.mjs');

  beforeAll(async () => {
    // The worker runs the package's real source, bundled (core included) so the thread needs no TS loader.
    const here = fileURLToPath(new URL('.', import.meta.url));
    await build({
      entryPoints: [join(here, 'test-support/node-worker.ts')],
      bundle: true,
      format: 'esm',
      platform: 'node',
      outfile: bundle,
      alias: { '@agenticgen/core': join(here, '../../../core/src/index.ts') },
      logLevel: 'error',
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('aggregates every worker in the host, with periodic snapshots replacing earlier ones', async () => {
    const host = createHost();
    const perWorker = { 'worker-1': 1000, 'worker-2': 1501 };
    let snapshots = 0;
    await Promise.all(
      Object.entries(perWorker).map(
        ([id, requests]) =>
          new Promise<void>((resolve, reject) => {
            const worker = new Worker(bundle, { workerData: { id, requests } });
            worker.on('message', (message: unknown) => {
              if (isMetricsSnapshot(message)) {
                snapshots++;
                host.attachSnapshot(id, message);
              } else if (message === 'done') void worker.terminate().then(() => resolve());
            });
            worker.on('error', reject);
          }),
      ),
    );
    expect(snapshots).toBeGreaterThan(2);
    expectMerged(host, perWorker);
  });
});
