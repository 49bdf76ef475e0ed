import { AgenticGenError } from '@agenticgen/core';
import { expose } from 'comlink';
import { SharedGraphBuilder } from '../indexes/shared-graph-builder.js';
import { type SharedGraphLayout, scratchLayout } from '../indexes/shared-graph-layout.js';
import { compileSharedKernelModule, instantiateSharedKernels } from '../kernels/shared-kernels.js';
import { settle } from './expose-vector-worker.js';
import { type Outcome, toEndpoint, type WorkerLike } from './worker-protocol.js';

/** The RPC surface of a parallel-build worker (see `buildHnswIndex`). */
export interface HnswBuildWorkerApi {
  /**
   * Links records into the graph in `memory` (a shared WebAssembly memory laid out as `layout`) until none
   * is left; resolves with how many this worker linked.
   */
  link(memory: WebAssembly.Memory, layout: SharedGraphLayout, workerIndex: number): Promise<Outcome<number>>;
}

/**
 * Serves `buildHnswIndex`'s workers: call it in a Web Worker with `self`, in a worker thread with
 * `parentPort` (the package's own worker entries do).
 */
export function exposeHnswBuildWorker(scope: WorkerLike): void {
  const api: HnswBuildWorkerApi = {
    link: (memory, layout, workerIndex) =>
      settle(async () => {
        const module = await compileSharedKernelModule();
        if (module === undefined) {
          throw new AgenticGenError('unsupported', '[vector] this worker cannot run the shared-memory kernels');
        }
        const scratch = scratchLayout(
          layout.scratch[workerIndex]!,
          layout.size,
          layout.efConstruction,
          layout.maxLinks0,
        );
        const kernels = await instantiateSharedKernels(module, memory, scratch.params);
        return new SharedGraphBuilder(layout, workerIndex, kernels).run();
      }),
  };
  expose(api, toEndpoint(scope));
}
