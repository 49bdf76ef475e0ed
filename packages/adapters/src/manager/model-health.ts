import { AgenticGenError } from '@agenticgen/core';
import type { LimiterClock } from './limits.js';

/** When a failing model is taken out of rotation, and for how long. */
export interface ModelHealthOptions {
  /** Consecutive fallback-worthy failures (503, 429, timeouts…) that take a model out (default 3). */
  failureThreshold?: number;
  /** How long it stays out before one trial request may use it again, in milliseconds (default 30 000). */
  coolDownMs?: number;
}

/**
 * A per-model circuit breaker. Closed: the model is used. After `failureThreshold` consecutive failures it
 * opens: chains skip the model until `coolDownMs` has passed. Then one request at a time may try it
 * (half-open): a success closes the breaker, a failure opens it for another cool-down.
 */
export class ModelHealth {
  private failures = 0;
  /** Time at which the cool-down ends; 0 while closed. */
  private openUntil = 0;
  /** A trial request is in flight after a cool-down. */
  private trial = false;

  constructor(
    private readonly failureThreshold: number,
    private readonly coolDownMs: number,
    private readonly clock: LimiterClock,
  ) {}

  /** End of the cool-down while the model is out of rotation, else undefined. */
  coolingUntil(): number | undefined {
    if (this.openUntil === 0) return undefined;
    return this.trial || this.clock.now() < this.openUntil ? this.openUntil : undefined;
  }

  /** Claims the model for one request; false while it cools down (or its trial request is in flight). */
  claim(): boolean {
    if (this.coolingUntil() !== undefined) return false;
    if (this.openUntil !== 0) this.trial = true;
    return true;
  }

  /** The request answered: the model is healthy again. */
  succeeded(): void {
    this.failures = 0;
    this.openUntil = 0;
    this.trial = false;
  }

  /** The request failed in a way that says the model is unwell; returns the cool-down end if it opened now. */
  failed(): number | undefined {
    this.trial = false;
    this.failures++;
    if (this.failures < this.failureThreshold) return undefined;
    this.openUntil = this.clock.now() + this.coolDownMs;
    return this.openUntil;
  }

  /** The request ended without saying anything about the model (aborted, a bad request). */
  released(): void {
    this.trial = false;
  }
}

export function resolveHealthOptions(options: ModelHealthOptions | false | undefined): Required<ModelHealthOptions> {
  if (options === false) return { failureThreshold: Number.POSITIVE_INFINITY, coolDownMs: 0 };
  const failureThreshold = options?.failureThreshold ?? 3;
  const coolDownMs = options?.coolDownMs ?? 30_000;
  if (!(failureThreshold >= 1) || !(coolDownMs >= 0) || !Number.isFinite(coolDownMs)) {
    throw new AgenticGenError(
      'invalid-config',
      `[adapters:manager] health needs failureThreshold >= 1 and a finite coolDownMs >= 0, got ${failureThreshold} and ${coolDownMs}`,
    );
  }
  return { failureThreshold, coolDownMs };
}
