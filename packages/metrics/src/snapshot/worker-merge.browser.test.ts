import { describe, expect, it } from 'vitest';
import { isMetricsSnapshot } from './report.js';
import { createHost, expectMerged } from './test-support/expect-merged.js';

describe('snapshots merge across Web Workers', () => {
  it('aggregates every worker in the host page', async () => {
    const host = createHost();
    const perWorker = { 'web-1': 800, 'web-2': 1201 };
    let snapshots = 0;
    await Promise.all(
      Object.entries(perWorker).map(
        ([id, requests]) =>
          new Promise<void>((resolve, reject) => {
            const worker = new Worker(new URL('./test-support/web-worker.ts', import.meta.url), { type: 'module' });
            worker.addEventListener('message', (event: MessageEvent<unknown>) => {
              if (isMetricsSnapshot(event.data)) {
                snapshots++;
                host.attachSnapshot(id, event.data);
              } else if (event.data === 'done') {
                worker.terminate();
                resolve();
              }
            });
            worker.addEventListener('error', (event) => reject(new Error(event.message)));
            worker.postMessage({ id, requests });
          }),
      ),
    );
    expect(snapshots).toBeGreaterThan(2);
    expectMerged(host, perWorker);
  });
});
