/**
 * Exponential backoff between retries: the one schedule the scheduler, the MCP reconnect loop, the provider
 * adapters and the LanceDB commit retry share (with `delay` from `errors/abort.ts` as the one abortable sleep).
 */
export interface BackoffOptions {
  /** Delay before the first retry in ms (default 100). */
  initialDelayMs?: number;
  /** Multiplier per further retry (default 2). */
  factor?: number;
  /** Upper bound of one delay in ms (default 30 s). */
  maxDelayMs?: number;
  /** Randomise each delay to 50–100% of its value so retries of many tasks do not align (default true). */
  jitter?: boolean;
  /** Random source in [0, 1) for the jitter (default `Math.random`); inject a fixed one for deterministic tests. */
  random?: () => number;
}

/**
 * The delay before retry number `attempt` (1-based): `initialDelayMs · factor^(attempt − 1)`, capped at
 * `maxDelayMs`, then "equal jitter" (half fixed, half random), which keeps a floor under the wait while
 * spreading clients apart.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const initial = options.initialDelayMs ?? 100;
  const factor = options.factor ?? 2;
  const max = options.maxDelayMs ?? 30_000;
  const delay = Math.min(max, initial * factor ** Math.max(0, attempt - 1));
  if (options.jitter === false) return delay;
  return delay * (0.5 + (options.random ?? Math.random)() * 0.5);
}
