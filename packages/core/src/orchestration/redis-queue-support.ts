import type * as BullMq from 'bullmq';
import { AgenticGenError, type SerializedAgenticGenError } from '../errors/agenticgen-error.js';

/** Connection: a `redis://` URL or BullMQ/ioredis options (`{ host, port, password, … }`). */
export type RedisConnection = string | Readonly<Record<string, unknown>>;

const errorMarker = 'agenticgen-error:';
/** BullMQ priorities: 1 is highest, 2^21-1 lowest; ours: higher first, 0 default → the middle. */
const priorityMiddle = 1_048_576;

export function toBullPriority(priority = 0): number {
  return Math.min(2_097_151, Math.max(1, priorityMiddle - Math.round(priority)));
}

export function connectionOptions(connection: RedisConnection): Record<string, unknown> {
  if (typeof connection !== 'string') return { maxRetriesPerRequest: null, ...connection };
  const url = new URL(connection);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new AgenticGenError(
      'invalid-argument',
      `[orchestration] Redis connection must be a redis:// or rediss:// URL, got "${url.protocol}"`,
    );
  }
  const options: Record<string, unknown> = {
    host: url.hostname,
    port: Number(url.port || 6379),
    // Workers block on Redis; BullMQ requires unlimited retries per request for them.
    maxRetriesPerRequest: null,
  };
  if (url.username !== '') options.username = decodeURIComponent(url.username);
  if (url.password !== '') options.password = decodeURIComponent(url.password);
  if (url.pathname.length > 1) options.db = Number(url.pathname.slice(1));
  if (url.protocol === 'rediss:') options.tls = {};
  return options;
}

/** Errors cross the Redis boundary as text: encode our errors so the waiting side rebuilds the code. */
export function encodeError(error: AgenticGenError): string {
  const json = error.toJSON();
  delete json.stack;
  return `${errorMarker}${JSON.stringify(json)}`;
}

export function decodeError(message: string, jobId: string): AgenticGenError {
  if (message.startsWith(errorMarker)) {
    try {
      return AgenticGenError.fromJSON(JSON.parse(message.slice(errorMarker.length)) as SerializedAgenticGenError);
    } catch {
      // Fall through: an unparseable reason is reported as it is.
    }
  }
  return new AgenticGenError('task-failed', `[orchestration] remote task ${jobId} failed: ${message.slice(0, 500)}`);
}

export async function loadBullMq(injected: unknown): Promise<typeof BullMq> {
  if (injected !== undefined) return injected as typeof BullMq;
  try {
    return await import('bullmq');
  } catch (error) {
    throw new AgenticGenError(
      'dependency-missing',
      '[orchestration] the Redis task queue needs the "bullmq" package; install it with "npm install bullmq"',
      { cause: error },
    );
  }
}

/** Checks an option that must be an integer within [minimum, maximum]. */
export function checkInteger(name: string, value: number | undefined, minimum: number, maximum: number): void {
  if (value === undefined) return;
  if (!(Number.isInteger(value) && value >= minimum && value <= maximum)) {
    throw new AgenticGenError(
      'invalid-argument',
      `[orchestration] ${name} must be an integer from ${minimum} to ${maximum}, got ${String(value).slice(0, 40)}`,
    );
  }
}
