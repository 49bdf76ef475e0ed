// The worker_threads entry of `buildHnswIndex` in Node (built to dist/hnsw-build-thread.js).
import { parentPort } from 'node:worker_threads';
import { exposeHnswBuildWorker } from '../workers/hnsw-build-worker.js';

if (parentPort === null) throw new Error('[vector] hnsw-build-thread must run in a worker thread');
exposeHnswBuildWorker(parentPort);
