// The floor under the broadcast figures of run.ts: no WebSocket library and no gateway, only Node's `net`.
// A server process holds N loopback TCP connections and writes one ready-made 64-byte buffer to each, in one
// synchronous loop; a client process holds the other ends and timestamps each arrival. Whatever this takes on
// a machine, no Node WebSocket server on that machine broadcasts faster. Not a test: run it by hand,
//
//   ulimit -n 20000 && node examples/starter-server/load/write-floor.ts [--connections 10000] [--rounds 20]
//
// Writes examples/starter-server/load/write-floor.json.
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { nextMessage } from './child-messages.ts';

const role = process.argv[2];
const payloadBytes = 64;

if (role === 'server') {
  // Holds connections; on { type: 'write' } writes the payload to every socket and reports the loop's time.
  const sockets: net.Socket[] = [];
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    sockets.push(socket);
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address() as net.AddressInfo;
    process.send?.({ type: 'listening', port: address.port });
  });
  process.on('message', (message: { type: string; sentAt?: number }) => {
    if (message.type === 'write') {
      const payload = Buffer.alloc(payloadBytes, 120);
      const started = performance.now();
      for (const socket of sockets) socket.write(payload);
      process.send?.({ type: 'written', loopMs: performance.now() - started, sockets: sockets.length });
    } else if (message.type === 'stop') {
      for (const socket of sockets) socket.destroy();
      server.close(() => process.exit(0));
    }
  });
} else {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { connections: { type: 'string', default: '10000' }, rounds: { type: 'string', default: '20' } },
  });
  const connections = Number(values.connections);
  const rounds = Number(values.rounds);
  const child = fork(import.meta.filename, ['server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = (type: string) => nextMessage(child, type);
  const { port } = (await next('listening')) as { port: number };
  let roundStart = 0;
  let arrivals: number[] = [];
  let received = 0;
  let roundDone: (() => void) | undefined;
  const clients: net.Socket[] = [];
  for (let index = 0; index < connections; index += 250) {
    await Promise.all(
      Array.from({ length: Math.min(250, connections - index) }, (_, offset) => {
        const localAddress = `127.0.0.${((index + offset) % 16) + 1}`;
        return new Promise<void>((resolve, reject) => {
          const socket = net.connect({ port, host: '127.0.0.1', localAddress }, () => resolve());
          let pending = 0;
          socket.on('data', (chunk: Buffer) => {
            pending += chunk.length;
            while (pending >= payloadBytes) {
              pending -= payloadBytes;
              arrivals.push(performance.now() - roundStart);
              if (++received === connections) roundDone?.();
            }
          });
          socket.on('error', reject);
          clients.push(socket);
        });
      }),
    );
  }
  const latencies: number[] = [];
  const loops: number[] = [];
  const lastArrivals: number[] = [];
  for (let round = 0; round < rounds; round++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    arrivals = [];
    received = 0;
    const done = new Promise<void>((resolve) => {
      roundDone = resolve;
    });
    const written = next('written');
    roundStart = performance.now();
    child.send({ type: 'write' });
    const { loopMs } = (await written) as { loopMs: number };
    await done;
    loops.push(loopMs);
    latencies.push(...arrivals);
    lastArrivals.push(Math.max(...arrivals));
  }
  const percentile = (values: number[], share: number) => {
    const sorted = [...values].sort((left, right) => left - right);
    return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? Number.NaN;
  };
  const results = {
    node: process.version,
    date: new Date().toISOString(),
    connections,
    rounds,
    deliveryP50Ms: percentile(latencies, 0.5),
    deliveryP99Ms: percentile(latencies, 0.99),
    lastDeliveryP50Ms: percentile(lastArrivals, 0.5),
    writeLoopP50Ms: percentile(loops, 0.5),
    writeLoopP99Ms: percentile(loops, 0.99),
    writeLoopMicrosecondsPerSocket: (percentile(loops, 0.5) * 1000) / connections,
  };
  console.log(results);
  writeFileSync(join(import.meta.dirname, 'write-floor.json'), `${JSON.stringify(results, null, 2)}\n`);
  child.send({ type: 'stop' });
  for (const socket of clients) socket.destroy();
}
