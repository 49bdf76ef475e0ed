/**
 * Starts a private PostgreSQL server (Debian's `postgresql` package) on 127.0.0.1 for Node tests of the store.
 * The cluster lives in a temp folder; as root, initdb and the server run as the `postgres` user (Postgres
 * refuses to run as root). With CI=true a missing PostgreSQL fails the run; locally the caller may skip.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis-server.js';

export interface PostgresTestServer {
  /** The port it listens on (127.0.0.1 only). */
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication). */
  readonly url: string;
  /** Stops it and removes its folder. */
  stop(): Promise<void>;
}

const binDirectory = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

export function postgresServerAvailable(): boolean {
  if (existsSync(join(binDirectory, 'postgres'))) return true;
  if (process.env.CI === 'true' || process.env.CI === '1') {
    throw new Error(`[test] PostgreSQL is required in CI (${binDirectory}): apt-get install -y postgresql`);
  }
  console.warn('\n!!! [test] PostgreSQL not installed: PostgreSQL tests are SKIPPED (apt-get install -y postgresql)\n');
  return false;
}

/** Runs a PostgreSQL binary, as the `postgres` user when this process is root. */
function runAsOwner(binary: string, args: readonly string[]): void {
  const path = join(binDirectory, binary);
  const asRoot = process.getuid?.() === 0;
  execFileSync(asRoot ? 'runuser' : path, asRoot ? ['-u', 'postgres', '--', path, ...args] : [...args], {
    stdio: 'pipe',
    timeout: 60_000,
  });
}

export async function startPostgresServer(): Promise<PostgresTestServer> {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'agenticgen-postgres-'));
  const data = join(directory, 'data');
  if (process.getuid?.() === 0) {
    const owner = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const group = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(directory, owner, group);
    chmodSync(directory, 0o700);
  }
  runAsOwner('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  // fsync off: the tests kill clients, not the server, and a test cluster need not survive a power cut.
  const serverOptions = `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  runAsOwner('pg_ctl', [
    '-D',
    data,
    '-o',
    serverOptions,
    '-l',
    join(directory, 'server.log'),
    '-w',
    '-t',
    '60',
    'start',
  ]);
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        runAsOwner('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  };
}
