import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AgenticGenError } from '@agenticgen/core';

/** Everything the server can be configured with. Defaults suit `npm start` on a laptop. */
export interface ServerConfig {
  /** Interface to listen on (default 127.0.0.1: nothing is exposed unless you ask). */
  host: string;
  /** Port; 0 picks a free one (tests). */
  port: number;
  /** Folder for the file cache, LanceDB tables, uploads and the generated token. */
  dataDir: string;
  /** Bearer tokens accepted by the API and the gateway. */
  tokens: string[];
  /** True when the token was generated (printed once at start-up). */
  generatedToken: boolean;
  limits: {
    /** Largest JSON request body. */
    jsonBodyBytes: number;
    /** Largest uploaded document or data file. */
    uploadBytes: number;
    /** Largest WebSocket frame from a client (bigger ones close with 1009). */
    wsMessageBytes: number;
    /** Bytes a client may have waiting in its send queue before it counts as a slow consumer. */
    wsQueueBytes: number;
    /** Bytes handed to a socket at once. */
    wsInflightBytes: number;
    /** Rooms per connection. */
    wsRoomsPerConnection: number;
    /** Deepest nesting of arrays and objects a JSON body may have (checked before parsing). */
    jsonDepth: number;
    /** Runs (chat, agent, collaboration, Python, SQL) one token may have in flight at once, HTTP and WebSocket together. */
    runsPerToken: number;
    /** Sandbox runs one token may have waiting for a worker; beyond this a run is refused with `queue-full`. */
    sandboxQueuePerToken: number;
    /** Sandbox runs executing at once across all tokens (taken in turn from each token's queue). */
    sandboxConcurrency: number;
    /** Sustained WebSocket messages per second one connection may send. */
    wsMessagesPerSecond: number;
    /** Messages a connection may send in a burst above that rate; past it the connection is closed with 1008. */
    wsMessageBurst: number;
    /** Failed authentications one client address may make per window before it is refused with 429. */
    authFailures: number;
    /** The window of `authFailures`, in milliseconds. */
    authFailureWindowMs: number;
  };
  /** Heartbeat interval (ping); a peer that misses one pong is cut at the next. */
  heartbeatMs: number;
  /** Time a WebSocket client has to authenticate. */
  authTimeoutMs: number;
  /** How long shutdown waits for in-flight runs before aborting them. */
  drainTimeoutMs: number;
  /**
   * After the drain, how long shutdown waits for each dependency (the Redis queue, the cache, the sandbox) to
   * close before it stops waiting and cuts the connection (`AGENTICGEN_CLOSE_TIMEOUT_MS`, default 5 s).
   */
  closeTimeoutMs?: number;
  /** Sandbox pool size (Pyodide workers kept warm). */
  sandboxPoolSize: number;
  /** Interval of the metrics history samples behind the monitoring charts. */
  metricsSampleMs: number;
  /**
   * Redis (`AGENTICGEN_REDIS_URL`): the cache's L2, rooms and the run queue are then shared by every instance
   * instead of being per instance.
   */
  redisUrl?: string;
  /** With Redis: whether this instance also executes queued runs (`AGENTICGEN_RUN_WORKER=0`: submit only). */
  runWorker?: boolean;
  /** A separate bearer token for `/metrics` (`AGENTICGEN_METRICS_TOKEN`); without it `/metrics` is public. */
  metricsToken?: string;
  /**
   * Host names (with or without port) the server answers to, besides the name it is bound to and the loopback
   * names (`AGENTICGEN_ALLOWED_HOSTS`, comma separated). Requests naming any other host get 403 (DNS rebinding).
   * Bound to a wildcard address (0.0.0.0, ::) with none configured, every host is accepted.
   */
  allowedHosts?: string[];
  /** Origins allowed to call the API from a browser on another origin (`AGENTICGEN_CORS_ORIGINS`); none by default. */
  corsOrigins?: string[];
  /** With Redis: how long a run waits for a lost Redis connection to come back before failing with `unavailable`. */
  redisOutageMs?: number;
  /**
   * Where chat threads and run checkpoints persist: a PGlite database in this folder
   * (`AGENTICGEN_STORE_DIR`, default `<dataDir>/store`), unless `databaseUrl` is set.
   */
  storeDir?: string;
  /** PostgreSQL for threads and runs (`DATABASE_URL`), shared by every instance; PGlite in `storeDir` without it. */
  databaseUrl?: string;
  /** Where LanceDB keeps the knowledge vectors (`AGENTICGEN_LANCEDB_URI`, e.g. `s3://bucket/agenticgen`); default the data folder. */
  lancedbUri?: string;
}

export const defaultLimits: ServerConfig['limits'] = {
  jsonBodyBytes: 1024 * 1024,
  uploadBytes: 10 * 1024 * 1024,
  wsMessageBytes: 64 * 1024,
  wsQueueBytes: 1024 * 1024,
  wsInflightBytes: 256 * 1024,
  wsRoomsPerConnection: 32,
  jsonDepth: 64,
  runsPerToken: 8,
  sandboxQueuePerToken: 16,
  sandboxConcurrency: 4,
  wsMessagesPerSecond: 20,
  wsMessageBurst: 100,
  authFailures: 20,
  authFailureWindowMs: 60_000,
};

/** Reads flags (`--port 3000 --host 0.0.0.0 --data-dir .data`) and env (`PORT`, `HOST`, `AGENTICGEN_*`). */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): ServerConfig {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
    },
    allowPositionals: false,
    strict: true,
  });
  const port = Number(values.port ?? env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new AgenticGenError(
      'invalid-config',
      `[server] invalid port ${JSON.stringify(values.port ?? env.PORT)}: use 0–65535`,
    );
  }
  const dataDir = resolve(cwd, values['data-dir'] ?? env.AGENTICGEN_DATA_DIR ?? '.data');
  const configured = (env.AGENTICGEN_TOKENS ?? '')
    .split(',')
    .map((token) => token.trim())
    .filter((token) => token.length > 0);
  const tokens = configured.length > 0 ? configured : [loadOrCreateToken(dataDir)];
  return {
    host: values.host ?? env.HOST ?? '127.0.0.1',
    port,
    dataDir,
    tokens,
    generatedToken: configured.length === 0,
    limits: { ...defaultLimits },
    heartbeatMs: positive(env.AGENTICGEN_HEARTBEAT_MS, 30_000),
    authTimeoutMs: positive(env.AGENTICGEN_AUTH_TIMEOUT_MS, 5_000),
    drainTimeoutMs: positive(env.AGENTICGEN_DRAIN_TIMEOUT_MS, 10_000),
    closeTimeoutMs: positive(env.AGENTICGEN_CLOSE_TIMEOUT_MS, 5_000),
    sandboxPoolSize: positive(env.AGENTICGEN_SANDBOX_POOL, 1),
    metricsSampleMs: positive(env.AGENTICGEN_METRICS_SAMPLE_MS, 2_000),
    ...(env.AGENTICGEN_REDIS_URL ? { redisUrl: env.AGENTICGEN_REDIS_URL } : {}),
    ...(env.AGENTICGEN_RUN_WORKER === undefined
      ? {}
      : { runWorker: !['0', 'false', 'no'].includes(env.AGENTICGEN_RUN_WORKER.toLowerCase()) }),
    ...(env.AGENTICGEN_METRICS_TOKEN ? { metricsToken: env.AGENTICGEN_METRICS_TOKEN } : {}),
    ...(env.AGENTICGEN_ALLOWED_HOSTS
      ? {
          allowedHosts: list(env.AGENTICGEN_ALLOWED_HOSTS),
        }
      : {}),
    ...(env.AGENTICGEN_CORS_ORIGINS ? { corsOrigins: list(env.AGENTICGEN_CORS_ORIGINS) } : {}),
    redisOutageMs: positive(env.AGENTICGEN_REDIS_OUTAGE_MS, 5_000),
    ...(env.AGENTICGEN_LANCEDB_URI ? { lancedbUri: env.AGENTICGEN_LANCEDB_URI } : {}),
    ...(env.AGENTICGEN_STORE_DIR ? { storeDir: resolve(cwd, env.AGENTICGEN_STORE_DIR) } : {}),
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
  };
}

/** The token generated on the first start, kept in the data folder (mode 0600) so the UI link stays valid. */
function loadOrCreateToken(dataDir: string): string {
  const file = join(dataDir, 'token');
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 16) return existing;
  } catch {
    // First start: create it below.
  }
  mkdirSync(dataDir, { recursive: true });
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

function positive(raw: string | undefined, fallback: number): number {
  const value = Number(raw);
  return raw !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

function list(raw: string): string[] {
  return raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}
