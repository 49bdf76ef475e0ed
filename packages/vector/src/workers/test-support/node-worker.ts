// The worker_threads script of the Node tests (bundled by the test, so the thread needs no TS loader).
import { parentPort } from 'node:worker_threads';
import { exposeVectorWorker } from '../expose-vector-worker.js';

if (parentPort === null) throw new Error('node-worker.ts must run in a worker thread');
exposeVectorWorker(parentPort);
