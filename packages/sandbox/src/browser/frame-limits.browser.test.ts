/**
 * Issue 16 B5: a compromised worker must not make the page copy and parse floods of messages. The real frame
 * document is started here with a worker that sends what a compromised one would; the page must receive neither
 * the oversized message nor the stream, only the worker's exit.
 */
import { afterEach, expect, it } from 'vitest';
import { frameDocument } from './browser-sandbox.js';

let frame: HTMLIFrameElement | undefined;

afterEach(() => {
  frame?.remove();
  frame = undefined;
});

/** Starts the sandbox frame with `workerSource` as the worker's code; resolves with the page's port. */
async function startFrame(workerSource: string): Promise<MessagePort> {
  const created = document.createElement('iframe');
  created.setAttribute('sandbox', 'allow-scripts');
  created.setAttribute('allow', 'cross-origin-isolated');
  created.srcdoc = await frameDocument();
  frame = created;
  const loaded = new Promise<void>((resolve) => {
    addEventListener('message', function onLoaded(event: MessageEvent) {
      if (event.source !== created.contentWindow) return;
      removeEventListener('message', onLoaded);
      resolve();
    });
  });
  document.body.append(created);
  await loaded;
  const channel = new MessageChannel();
  created.contentWindow?.postMessage({ agenticgenSandboxFrame: true }, '*', [channel.port2]);
  const configured = new Promise<void>((resolve) => {
    channel.port1.onmessage = (event: MessageEvent) => {
      if ((event.data as { t?: string }).t === 'configured') resolve();
    };
  });
  channel.port1.postMessage({
    t: 'configure',
    workerSource,
    assets: {},
    // The frame imports these two modules before the worker's code runs; nothing here needs Pyodide.
    sources: { asm: 'export default 0;', loader: 'export const loadPyodide = 0;' },
    limits: { outputLimit: 1000, resultLimit: 1000, freshInterpreters: 1 },
    packages: [],
  });
  await configured;
  return channel.port1;
}

/** Spawns worker 1 and collects what the page receives until the frame reports the worker's exit. */
async function relayed(port: MessagePort) {
  const lengths: number[] = [];
  const exit = new Promise<string>((resolve) => {
    port.onmessage = (event: MessageEvent) => {
      const data = event.data as { t?: string; json?: string; reason?: string };
      if (data.t === 'message') lengths.push(data.json?.length ?? 0);
      if (data.t === 'exit') resolve(String(data.reason));
    };
  });
  port.postMessage({ t: 'spawn', w: 1 });
  return { reason: await exit, lengths };
}

it('terminates a worker that sends one message far larger than any reply, before the page receives it', async () => {
  const port = await startFrame(
    `postMessage({ json: '{"op":"output","id":1,"text":"' + 'x'.repeat(64 * 1024 * 1024) + '"}' });`,
  );
  const { reason, lengths } = await relayed(port);
  expect(reason).toMatch(/more or larger messages/);
  expect(lengths).toEqual([]);
});

it('terminates a worker that floods the page with small messages, after a bounded number', async () => {
  const port = await startFrame(`for (let i = 0; i < 200000; i++) postMessage({ json: '{"op":"output","id":1}' });`);
  const { reason, lengths } = await relayed(port);
  expect(reason).toMatch(/more or larger messages/);
  expect(lengths.length).toBeLessThan(200_000);
});
