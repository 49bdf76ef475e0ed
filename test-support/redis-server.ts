/**
 * Starts a private redis-server on 127.0.0.1 for Node tests (cache driver, task queue).
 * With CI=true a missing redis-server fails the test run; locally the caller may skip with a loud notice.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisTestServer {
  /** The port it listens on (127.0.0.1 only). */
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Kills the server (SIGKILL: simulates a crash). */
  kill(): Promise<void>;
  /** Starts it again on the same port, with an empty data set. */
  restart(): Promise<void>;
  /** Stops it and removes its folder. */
  stop(): Promise<void>;
}

export function redisServerAvailable(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.CI === 'true' || process.env.CI === '1') {
      throw new Error('[test] redis-server is required in CI: apt-get install -y redis-server');
    }
    console.warn(
      '\n!!! [test] redis-server not installed: Redis tests are SKIPPED (apt-get install -y redis-server)\n',
    );
    return false;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const connected = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (connected) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`[test] redis-server did not listen on ${port} within ${timeoutMs} ms`);
}

export async function startRedisServer(): Promise<RedisTestServer> {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'agenticgen-redis-'));
  let child: ChildProcess | undefined;

  const launch = async () => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', directory],
      { stdio: 'ignore' },
    );
    await waitForPort(port);
  };
  const kill = async () => {
    const running = child;
    child = undefined;
    if (running === undefined || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };

  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    restart: launch,
    async stop() {
      await kill();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
