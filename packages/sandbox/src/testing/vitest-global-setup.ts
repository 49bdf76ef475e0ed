import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { TestProject } from 'vitest/node';

/**
 * Vitest global setup (Node side of both projects): two package hosts on random 127.0.0.1 ports serving the
 * fixture wheel and lock file at `/<scope>/<file>`, so the same tests reach them from Node and from Chromium.
 * Each counts the requests it receives per scope (`GET /__requests/<scope>`, not counted itself), which is how
 * the tests prove that a refused host received nothing; a scope per test keeps concurrent test files apart.
 * `/<scope>/redirect/<file>` on either host redirects to `/<scope>/<file>` on the second one.
 */
export interface SandboxPackageHosts {
  /** Origin of the host the tests allow, e.g. `http://127.0.0.1:41234`. */
  allowed: string;
  /** Origin of a second host serving the same files, which the tests never allow. */
  refused: string;
}

const fixtures = new URL('./fixtures/', import.meta.url);
const served = new Set(['demo-lock.json', 'agenticgen_demo-1.0.0-py3-none-any.whl']);

function startHost(redirectTo: () => string): Promise<{ server: Server; origin: string }> {
  const requests = new Map<string, number>();
  const server = createServer((request, response) => {
    // CORS for the Chromium page (another origin); CORP because the page is cross-origin isolated.
    response.setHeader('access-control-allow-origin', '*');
    response.setHeader('cross-origin-resource-policy', 'cross-origin');
    const [, scope = '', ...rest] = new URL(request.url ?? '/', 'http://host').pathname.split('/');
    if (scope === '__requests') {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ requests: requests.get(rest.join('/')) ?? 0 }));
      return;
    }
    requests.set(scope, (requests.get(scope) ?? 0) + 1);
    if (rest[0] === 'redirect') {
      response.writeHead(302, { location: `${redirectTo()}/${scope}/${rest.slice(1).join('/')}` }).end();
      return;
    }
    const name = rest.join('/');
    if (!served.has(name)) {
      response.writeHead(404).end();
      return;
    }
    readFile(new URL(name, fixtures)).then(
      (bytes) => response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes),
      () => response.writeHead(500).end(),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({ server, origin: `http://127.0.0.1:${port}` });
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let refusedOrigin = '';
  const allowed = await startHost(() => refusedOrigin);
  const refused = await startHost(() => refusedOrigin);
  refusedOrigin = refused.origin;
  project.provide('sandboxPackageHosts', { allowed: allowed.origin, refused: refused.origin });
  const close = (server: Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return async () => {
    await Promise.all([close(allowed.server), close(refused.server)]);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Package hosts of the sandbox tests (see packages/sandbox/src/testing/vitest-global-setup.ts). */
    sandboxPackageHosts: SandboxPackageHosts;
  }
}
