/** What the breaker lets an L2 operation do: go, go as the one trial after a pause, or skip L2. */
export type CircuitAdmission = 'pass' | 'probe' | 'skip';

/**
 * The L2 circuit breaker. Closed, every operation goes to L2 and consecutive failures are counted; at the threshold
 * it opens and operations skip L2 for `retryAfterMs`. Then one operation goes as a half-open probe while the others
 * keep skipping: the probe's success closes the circuit, its failure opens it for another period at once. So a
 * stalled L2 costs one timeout per period, not `failureThreshold` of them.
 */
export class CircuitBreaker {
  readonly #failureThreshold: number;
  readonly #retryAfterMs: number;
  #failures = 0;
  /** 0 while closed; else the time the next probe may go. */
  #openUntil = 0;
  #probing = false;

  /** `failureThreshold` 0 disables the breaker. */
  constructor(failureThreshold: number, retryAfterMs: number) {
    this.#failureThreshold = failureThreshold;
    this.#retryAfterMs = retryAfterMs;
  }

  admit(): CircuitAdmission {
    if (this.#openUntil === 0) return 'pass';
    if (this.#probing || this.#openUntil > Date.now()) return 'skip';
    this.#probing = true;
    return 'probe';
  }

  success(admission: CircuitAdmission): void {
    this.#failures = 0;
    if (admission !== 'probe') return;
    this.#probing = false;
    this.#openUntil = 0;
  }

  /** The operation ended without telling whether L2 is healthy (e.g. a value it cannot store): a probe goes again. */
  undecided(admission: CircuitAdmission): void {
    if (admission === 'probe') this.#probing = false;
  }

  failure(admission: CircuitAdmission): void {
    if (admission === 'probe') {
      this.#probing = false;
      this.#openUntil = Date.now() + this.#retryAfterMs;
      return;
    }
    if (this.#failureThreshold === 0) return;
    // Not reset when the circuit opens: late failures of operations admitted before it opened still count.
    this.#failures++;
    if (this.#failures >= this.#failureThreshold && this.#openUntil === 0) {
      this.#openUntil = Date.now() + this.#retryAfterMs;
    }
  }
}
