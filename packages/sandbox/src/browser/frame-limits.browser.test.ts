/**
 * Issue 16 B5: a compromised worker must not make the page copy and parse floods of messages. The real frame
 * document is started here with a worker that sends what a compromised one would; the page must receive neither
 * the oversized message nor the stream, only the worker's exit.
 */
import { afterEach, expect, it } from 'vitest';
import { type SandboxFrame, startSandboxFrame } from '../testing/sandbox-frame.js';

let started: SandboxFrame | undefined;

afterEach(() => {
  started?.frame.remove();
  started = undefined;
});

async function startFrame(workerSource: string): Promise<MessagePort> {
  started = await startSandboxFrame(workerSource);
  return started.port;
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
