import { randomUUID } from 'node:crypto';
import { AgenticGenError, toAgenticGenError } from '@agenticgen/core';

/** One event of a run as clients receive it (`text-delta`, `tool-call-start`, `tool-result`, `run-finish`, …). */
export type RunEvent = { type: string } & Record<string, unknown>;

/** The work of one run: emits events, honours the signal, resolves with the final result. */
export type RunExecutor = (context: {
  runId: string;
  signal: AbortSignal;
  emit: (event: RunEvent) => void;
}) => Promise<unknown>;

export interface StartedRun {
  readonly id: string;
  readonly kind: string;
  /** Settles when the run ends; never rejects (failures are a `run-error` event and `{ ok: false }`). */
  readonly done: Promise<{ ok: true; result: unknown } | { ok: false; error: AgenticGenError }>;
  cancel(reason?: string): void;
}

export interface RunManagerStats {
  active: number;
  started: number;
  completed: number;
  failed: number;
  cancelled: number;
}

/**
 * Tracks every in-flight run (chat, agent, collaboration) so the server can cancel one, report how many are
 * running, and on shutdown stop taking new ones and drain the rest: in-flight runs finish (or are aborted
 * after the drain timeout) before connections close, so no client loses an answer half-way silently.
 */
export class RunManager {
  readonly #runs = new Map<string, { run: StartedRun; controller: AbortController }>();
  #accepting = true;
  #stats: RunManagerStats = { active: 0, started: 0, completed: 0, failed: 0, cancelled: 0 };

  get accepting(): boolean {
    return this.#accepting;
  }

  stats(): RunManagerStats {
    return { ...this.#stats, active: this.#runs.size };
  }

  get(id: string): StartedRun | undefined {
    return this.#runs.get(id)?.run;
  }

  /** Starts a run; `onEvent` receives every event, then `run-finish` or `run-error`. */
  start(kind: string, executor: RunExecutor, onEvent: (event: RunEvent) => void, signal?: AbortSignal): StartedRun {
    if (!this.#accepting) {
      throw new AgenticGenError(
        'shutting-down',
        '[server] the server is shutting down and takes no new runs; retry on another instance',
        {
          retryable: true,
        },
      );
    }
    const id = randomUUID();
    const controller = new AbortController();
    if (signal !== undefined) {
      if (signal.aborted) controller.abort(signal.reason);
      else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true });
    }
    const started = performance.now();
    this.#stats.started++;
    const emit = (event: RunEvent) => {
      try {
        onEvent({ ...event, runId: id });
      } catch {
        // A failing listener (closed socket) must not break the run for the others watching it.
      }
    };
    emit({ type: 'run-start', kind });
    const done = (async () => {
      try {
        const result = await executor({ runId: id, signal: controller.signal, emit });
        if (controller.signal.aborted) throw controller.signal.reason;
        this.#stats.completed++;
        emit({ type: 'run-finish', durationMs: performance.now() - started, result });
        return { ok: true as const, result };
      } catch (thrown) {
        const error = controller.signal.aborted
          ? toAgenticGenError(controller.signal.reason ?? thrown, 'aborted', 'server')
          : toAgenticGenError(thrown, 'internal', 'server');
        if (controller.signal.aborted) this.#stats.cancelled++;
        else this.#stats.failed++;
        emit({ type: 'run-error', error: { code: error.code, message: error.message } });
        return { ok: false as const, error };
      } finally {
        this.#runs.delete(id);
      }
    })();
    const run: StartedRun = {
      id,
      kind,
      done,
      cancel: (reason = 'cancelled by the client') =>
        controller.abort(new AgenticGenError('aborted', `[server] run ${id} ${reason}`)),
    };
    this.#runs.set(id, { run, controller });
    return run;
  }

  /**
   * Stops accepting runs and waits for the in-flight ones. After `timeoutMs` the rest are aborted (their
   * clients get `run-error` with code `aborted`) and awaited.
   */
  async drain(timeoutMs: number): Promise<{ finished: number; aborted: number }> {
    this.#accepting = false;
    const inFlight = [...this.#runs.values()];
    if (inFlight.length === 0) return { finished: 0, aborted: 0 };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const all = Promise.all(inFlight.map((entry) => entry.run.done));
    const outcome = await Promise.race([all, timedOut]);
    clearTimeout(timer);
    if (outcome !== 'timeout') return { finished: inFlight.length, aborted: 0 };
    const remaining = [...this.#runs.values()];
    for (const entry of remaining) {
      entry.controller.abort(
        new AgenticGenError(
          'aborted',
          `[server] run ${entry.run.id} aborted: the server shut down after a ${timeoutMs} ms drain`,
        ),
      );
    }
    await Promise.all(remaining.map((entry) => entry.run.done));
    return { finished: inFlight.length - remaining.length, aborted: remaining.length };
  }
}
