import { runWorkload, type WorkloadRequest } from './workload.js';

const scope = globalThis as unknown as {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkloadRequest>) => void): void;
};
scope.addEventListener('message', async (event) => {
  await runWorkload(event.data, (snapshot) => scope.postMessage(snapshot));
  scope.postMessage('done');
});
