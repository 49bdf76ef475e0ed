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
  };
  /** Heartbeat interval (ping); a peer that misses one pong is cut at the next. */
  heartbeatMs: number;
  /** Time a WebSocket client has to authenticate. */
  authTimeoutMs: number;
  /** How long shutdown waits for in-flight runs before aborting them. */
  drainTimeoutMs: number;
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
    sandboxPoolSize: positive(env.AGENTICGEN_SANDBOX_POOL, 1),
    metricsSampleMs: positive(env.AGENTICGEN_METRICS_SAMPLE_MS, 2_000),
    ...(env.AGENTICGEN_REDIS_URL ? { redisUrl: env.AGENTICGEN_REDIS_URL } : {}),
    ...(env.AGENTICGEN_RUN_WORKER === undefined
      ? {}
      : { runWorker: !['0', 'false', 'no'].includes(env.AGENTICGEN_RUN_WORKER.toLowerCase()) }),
    ...(env.AGENTICGEN_LANCEDB_URI ? { lancedbUri: env.AGENTICGEN_LANCEDB_URI } : {}),
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
