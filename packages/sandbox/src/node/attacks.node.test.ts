import { existsSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { createSandbox } from '@agenticgen/sandbox';
import { attackLimits, runAttackSuite } from '../testing/attack-suite.js';

const secret = `host-secret-${Math.random().toString(36).slice(2)}`;
process.env.AGENTICGEN_SANDBOX_TEST_SECRET = secret;

runAttackSuite({
  createSandbox: () => createSandbox({ limits: attackLimits, pool: { warm: 1 } }),
  secret,
  hostFileExists: (path) => existsSync(path),
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
});
