/**
 * The Node environment of the attack suite (host secret, host files, TCP listener, killing the sandbox
 * process), shared by the suite on in-process snapshots and the one on persisted snapshots.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
// Node-only helper: the Node entry's sandbox, imported from its module (the package name resolves per runtime).
import { createSandbox, type NodeSandboxOptions } from '../node/node-sandbox.js';
import { type AttackEnvironment, attackLimits } from './attack-suite.js';

const secret = `host-secret-${Math.random().toString(36).slice(2)}`;
process.env.AGENTICGEN_SANDBOX_TEST_SECRET = secret;

/** The sandbox process this test process started last (Linux /proc): the one of the sandbox just created. */
function newestSandboxProcess(): number | undefined {
  let newest: { pid: number; started: number } | undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      if (Number(/PPid:\s+(\d+)/.exec(status)?.[1]) !== process.pid) continue;
      if (!/supervisor\.(js|ts)/.test(readFileSync(`/proc/${entry}/cmdline`, 'utf8'))) continue;
      // Field 22 of /proc/<pid>/stat is the start time; the command name before it may hold spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const started = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
      if (newest === undefined || started >= newest.started) newest = { pid: Number(entry), started };
    } catch {
      // The process ended meanwhile.
    }
  }
  return newest?.pid;
}

/** `options` apply to every sandbox the suite creates (e.g. `snapshotCache`). */
export function nodeAttackEnvironment(options: NodeSandboxOptions = {}): AttackEnvironment {
  return {
    createSandbox: (overrides = {}) =>
      createSandbox({ limits: attackLimits, pool: { warm: 1 }, ...options, ...overrides }),
    secret,
    hostFileExists: (path) => existsSync(path),
    capsJavaScriptHeap: true,
    freezesPromiseJobs: true,
    killWorkers:
      process.platform === 'linux'
        ? async () => {
            const pid = newestSandboxProcess();
            if (pid === undefined) throw new Error('no sandbox process found');
            process.kill(pid, 'SIGKILL');
          }
        : undefined,
    listen: async () => {
      let connections = 0;
      const sockets = new Set<Socket>();
      const server = createServer((socket) => {
        connections++;
        sockets.add(socket);
        socket.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      return {
        port,
        connections: () => connections,
        close: () =>
          new Promise<void>((resolve) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => resolve());
          }),
      };
    },
  };
}
