/**
 * A token bucket: `burst` messages at once, refilled at `perSecond`. One per WebSocket connection, so a
 * client flooding frames is cut instead of taking the event loop from everyone else.
 */
export class TokenBucket {
  #tokens: number;
  #updated: number;
  readonly #perSecond: number;
  readonly #burst: number;
  readonly #now: () => number;

  constructor(perSecond: number, burst: number, now: () => number = performance.now.bind(performance)) {
    this.#perSecond = perSecond;
    this.#burst = burst;
    this.#tokens = burst;
    this.#now = now;
    this.#updated = now();
  }

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#updated) / 1000) * this.#perSecond);
    this.#updated = now;
    if (this.#tokens < 1) return false;
    this.#tokens--;
    return true;
  }
}
