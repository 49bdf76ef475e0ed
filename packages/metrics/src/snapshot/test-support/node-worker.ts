import { parentPort, workerData } from 'node:worker_threads';
import { runWorkload, type WorkloadRequest } from './workload.js';

await runWorkload(workerData as WorkloadRequest, (snapshot) => parentPort?.postMessage(snapshot));
parentPort?.postMessage('done');
