/**
 * Watches the memory of every worker thread from outside it. A worker's memory is its V8 heap plus external
 * buffers (the wasm heap included), as `worker.getHeapStatistics()` reports it — answered through an interrupt,
 * so also while Python runs.
 *
 * Why not V8's heap limit alone: a worker whose single allocation crosses `resourceLimits` by more than V8's
 * last-chance margin aborts the whole process (nodejs/node#47224), which would end every session of the
 * sandbox. So the hard V8 limit sits one largest-possible allocation above the worker's memory limit, and this
 * watch stops a worker as soon as it is seen above the limit itself.
 */
import type { Worker } from 'node:worker_threads';

/** Headroom between a worker's memory limit and its hard V8 heap limit: V8 allocates at most 1 GiB at once. */
export const largestAllocationMb = 1152;

const intervalMs = 25;

export function watchWorkerMemory(
  workers: () => Iterable<[number, Worker]>,
  limitBytes: () => number,
  over: (id: number) => void,
): void {
  const inFlight = new Set<number>();
  const check = () => {
    const limit = limitBytes();
    if (!(limit > 0)) return;
    for (const [id, worker] of workers()) {
      if (inFlight.has(id)) continue;
      inFlight.add(id);
      worker.getHeapStatistics().then(
        (statistics) => {
          inFlight.delete(id);
          if (statistics.used_heap_size + statistics.external_memory > limit) over(id);
        },
        () => inFlight.delete(id),
      );
    }
  };
  setInterval(check, intervalMs).unref();
}
