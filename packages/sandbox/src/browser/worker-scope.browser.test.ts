import { afterEach, expect, it } from 'vitest';
import type { RuntimeBridge } from '../runtime/sandbox-runtime.js';
import { browserWorkerMain } from './worker-main.js';

/**
 * Runs the real worker prelude in a real dedicated worker, with a stand-in for the runtime that reports what
 * the worker scope offers before and after the interpreter says `ready` (issue 16 B1, B3).
 */
function probeRuntime(bridge: RuntimeBridge) {
  const scope = globalThis as unknown as Record<string, unknown>;
  const names = [
    'Worker',
    'SharedWorker',
    'Blob',
    'File',
    'OffscreenCanvas',
    'fetch',
    'Response',
    'importScripts',
    'XMLHttpRequest',
    'BroadcastChannel',
    'WebSocket',
    'EventSource',
    'indexedDB',
    'postMessage',
  ];
  const reachable = () => {
    const found = names.filter((name) => {
      for (let owner: object | null = scope; owner !== null; owner = Object.getPrototypeOf(owner)) {
        // Descriptors, not reads: an accessor read on a prototype throws "Illegal invocation".
        const descriptor = Object.getOwnPropertyDescriptor(owner, name);
        if (descriptor?.get !== undefined || (descriptor?.value ?? undefined) !== undefined) return true;
      }
      return false;
    });
    if (typeof (scope.URL as { createObjectURL?: unknown }).createObjectURL === 'function')
      found.push('URL.createObjectURL');
    return found;
  };
  return {
    receive() {
      const loading = reachable();
      bridge.post(JSON.stringify({ op: 'ready', heapBytes: 0 }));
      const ready = reachable();
      const timerThis: unknown[] = [];
      const report = () =>
        bridge.post(
          JSON.stringify({ op: 'report', loading, ready, timerThis: timerThis.map((value) => typeof value) }),
        );
      setTimeout(function (this: unknown) {
        timerThis.push(this);
        const id = setInterval(function (this: unknown) {
          clearInterval(id);
          timerThis.push(this);
          report();
        }, 1);
      }, 1);
    },
  };
}

let worker: Worker | undefined;

afterEach(() => worker?.terminate());

it('leaves no way to start code or fetch in the worker scope once the interpreter is ready, and timers pass no `this`', async () => {
  const source = `'use strict';(${browserWorkerMain.toString()})(${probeRuntime.toString()}, {}, {});`;
  worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
  const report = new Promise<{ loading: string[]; ready: string[]; timerThis: string[] }>((resolve) => {
    worker?.addEventListener('message', (event: MessageEvent) => {
      const message = JSON.parse((event.data as { json: string }).json);
      if (message.op === 'report') resolve(message);
    });
  });
  worker.postMessage({ json: JSON.stringify({ op: 'init' }), assets: {} });
  const { loading, ready, timerThis } = await report;
  // Pyodide loads with the fetch shim, so that (and what makes workers) is still there while it loads.
  expect(loading).toEqual(expect.arrayContaining(['Worker', 'Blob', 'fetch', 'URL.createObjectURL', 'postMessage']));
  expect(loading).not.toContain('importScripts');
  expect(loading).not.toContain('XMLHttpRequest');
  expect(ready).toEqual([]);
  expect(timerThis).toEqual(['undefined', 'undefined']);
});
