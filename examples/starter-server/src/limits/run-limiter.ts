import { AgenticGenError } from '@agenticgen/core';

/**
 * Runs in flight per token (chat, agents, collaboration, Python, SQL; HTTP and WebSocket together), so one
 * token's clients cannot take every model call and sandbox worker from the others.
 */
export class RunLimiter {
  readonly #active = new Map<string, number>();
  readonly #limit: number;
  refused = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Takes a slot for `owner`; throws `rate-limit` when it has `limit` runs in flight. Call the result once to release. */
  acquire(owner: string): () => void {
    const active = this.#active.get(owner) ?? 0;
    if (active >= this.#limit) {
      this.refused++;
      throw new AgenticGenError(
        'rate-limit',
        `[server] at most ${this.#limit} runs per token at once; wait for one to finish or cancel it`,
        { data: { limit: this.#limit } },
      );
    }
    this.#active.set(owner, active + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#active.get(owner) ?? 1) - 1;
      if (left <= 0) this.#active.delete(owner);
      else this.#active.set(owner, left);
    };
  }

  active(owner: string): number {
    return this.#active.get(owner) ?? 0;
  }
}
