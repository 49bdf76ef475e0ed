// The worker script of the browser tests: serves the vector worker API on the worker's global scope.
import { exposeVectorWorker } from '../expose-vector-worker.js';
import type { WorkerLike } from '../worker-protocol.js';

// The repository compiles with the DOM lib, which types `self` as Window; here it is a worker scope.
exposeVectorWorker(self as unknown as WorkerLike);
