import { AgenticGenError } from '@agenticgen/core';

/** The run was lost with the Redis connection, or could not be queued because Redis is down. */
export function redisUnavailable(detail: string): AgenticGenError {
  return new AgenticGenError('unavailable', `[server] Redis is unreachable ${detail}; retry when /ready answers 200`, {
    retryable: true,
  });
}
