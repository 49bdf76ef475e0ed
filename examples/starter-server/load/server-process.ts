// The server side of the load test, in its own process so its memory is measured alone.
// `node --expose-gc load/server-process.ts starter|bare` — reports { port } over IPC, then answers
// { type: 'memory' } with process.memoryUsage() after a full GC, and { type: 'stop' } by exiting.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { createApp } from '../src/app.ts';
import { defaultLimits, type ServerConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { createServices } from '../src/services/create-services.ts';

const kind = process.argv[2];
/** Synchronous fan-out time of each broadcast (encode once, hand the bytes to every socket), in ms. */
const fanOut: number[] = [];
const send = (message: unknown) => process.send?.(message);
const gc = (globalThis as { gc?: () => void }).gc;

async function startStarter(): Promise<{ port: number; stop: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'agenticgen-load-'));
  const config: ServerConfig = {
    host: '127.0.0.1',
    port: 0,
    dataDir,
    tokens: [process.env.LOAD_TOKEN ?? 'load-test-token-0123456789'],
    generatedToken: false,
    limits: { ...defaultLimits },
    heartbeatMs: 60_000,
    authTimeoutMs: 30_000,
    drainTimeoutMs: 2_000,
    sandboxPoolSize: 1,
    metricsSampleMs: 2_000,
  };
  const log = createLogger({ silent: true });
  const services = await createServices(config, log, {}, { sandbox: false });
  const app = createApp({ config, services, log });
  const hub = app.context.gateway.hub;
  const broadcast = hub.broadcast.bind(hub);
  hub.broadcast = (...args: Parameters<typeof broadcast>) => {
    const started = performance.now();
    const delivered = broadcast(...args);
    fanOut.push(performance.now() - started);
    return delivered;
  };
  const url = await app.listen();
  return {
    port: Number(new URL(url).port),
    stop: async () => {
      await app.shutdown('load test finished');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The peer: a bare `ws` server that broadcasts every message it receives to every client (encoded once). */
async function startBare(): Promise<{ port: number; stop: () => Promise<void> }> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 64 * 1024 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string; data?: unknown };
      if (message.type !== 'publish') return;
      const started = performance.now();
      const encoded = Buffer.from(JSON.stringify({ type: 'room-message', data: message.data }));
      for (const client of server.clients) client.send(encoded, { binary: false });
      fanOut.push(performance.now() - started);
    });
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    stop: () =>
      new Promise((resolve) => {
        for (const client of server.clients) client.terminate();
        server.close(() => resolve());
      }),
  };
}

const started = kind === 'bare' ? await startBare() : await startStarter();
send({ type: 'listening', port: started.port });
process.on('message', (message: { type: string }) => {
  if (message.type === 'memory') {
    gc?.();
    gc?.();
    send({ type: 'memory', memory: process.memoryUsage() });
  } else if (message.type === 'fan-out') {
    send({ type: 'fan-out', fanOut });
  } else if (message.type === 'stop') {
    void started.stop().then(() => process.exit(0));
  }
});
