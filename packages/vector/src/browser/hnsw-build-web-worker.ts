// The Web Worker entry of `buildHnswIndex` in browsers (built to dist/hnsw-build-web-worker.js).
import { exposeHnswBuildWorker } from '../workers/hnsw-build-worker.js';
import type { WorkerLike } from '../workers/worker-protocol.js';

// The repository compiles with the DOM lib, which types `self` as Window; here it is a worker scope.
exposeHnswBuildWorker(self as unknown as WorkerLike);
