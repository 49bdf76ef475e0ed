import { AgenticGenError } from '@agenticgen/core';

export interface AuthThrottleOptions {
  /** Failed attempts one address may make per window. */
  maxFailures: number;
  /** Window length in milliseconds, from the address's first failure. */
  windowMs: number;
  /** Addresses remembered at once; the oldest is forgotten beyond this (bounded memory under a spray). */
  maxAddresses?: number;
  now?: () => number;
}

/**
 * Failed-authentication throttling by client address, shared by the HTTP API and the WebSocket gateway. Once an
 * address has failed `maxFailures` times in a window, every authentication from it is refused (right token or
 * wrong: answering a right one would tell a guesser it had found it) until the window ends.
 */
export class AuthThrottle {
  readonly #failures = new Map<string, { count: number; since: number }>();
  readonly #options: Required<AuthThrottleOptions>;
  refused = 0;

  constructor(options: AuthThrottleOptions) {
    this.#options = { maxAddresses: 10_000, now: Date.now, ...options };
  }

  /** Throws `rate-limit` (with `retryAfterMs`) while `address` is locked out. */
  check(address: string): void {
    const entry = this.#current(address);
    if (entry === undefined || entry.count < this.#options.maxFailures) return;
    this.refused++;
    const retryAfterMs = entry.since + this.#options.windowMs - this.#options.now();
    throw new AgenticGenError(
      'rate-limit',
      `[server] too many failed authentications from this address; retry in ${Math.ceil(retryAfterMs / 1000)} s`,
      { data: { retryAfterMs } },
    );
  }

  /** Counts a failed authentication. */
  fail(address: string): void {
    const entry = this.#current(address);
    if (entry !== undefined) {
      entry.count++;
      return;
    }
    if (this.#failures.size >= this.#options.maxAddresses) {
      const oldest = this.#failures.keys().next().value;
      if (oldest !== undefined) this.#failures.delete(oldest);
    }
    this.#failures.set(address, { count: 1, since: this.#options.now() });
  }

  #current(address: string) {
    const entry = this.#failures.get(address);
    if (entry !== undefined && this.#options.now() - entry.since >= this.#options.windowMs) {
      this.#failures.delete(address);
      return undefined;
    }
    return entry;
  }
}
