import { AgenticGenError, abortErrorFrom, type ChatRequest, type ChatStreamPart } from '@agenticgen/core';
import { toProviderError, unreadableAnswer } from './provider-errors.js';
import { type RetryPolicy, retryDelayFor } from './retry.js';

/** Turns one provider's stream events into stream parts, synchronously, keeping its own state. */
export interface StreamMapper<Event> {
  /**
   * Appends the parts for one provider event (or batch of events) to `out`; throws for an in-stream failure.
   * Parts appended before a throw are still delivered, then the failure.
   */
  push(event: Event, out: ChatStreamPart[]): void;
  /** Appends the closing parts once the provider's stream ended; appends nothing if it ended too early. */
  end(out: ChatStreamPart[]): void;
}

/** One opened provider stream. */
export interface OpenedStream<Event> {
  events: AsyncIterable<Event>;
  mapper: StreamMapper<Event>;
}

export interface ManagedStreamContext<Event> {
  scope: string;
  provider: string;
  modelId: string;
  request: ChatRequest;
  policy: RetryPolicy;
  open(signal: AbortSignal): Promise<OpenedStream<Event>>;
  attemptSignal(): { local: AbortController; guard: { signal: AbortSignal; dispose(): void } };
  costOf(modelId: string, usage: Extract<ChatStreamPart, { type: 'finish' }>['usage']): number | undefined;
}

/**
 * The adapters' stream: a hand-written async iterator rather than stacked async generators, so each part
 * costs one promise on top of the SDK's own (the overhead budget is a few percent of the SDK's time).
 * It retries a failed attempt only while nothing was delivered, aborts the HTTP request when the consumer
 * stops early, and adds the cost estimate to the finish part.
 */
export class ManagedStream<Event> implements AsyncIterableIterator<ChatStreamPart> {
  private readonly buffer: ChatStreamPart[] = [];
  private index = 0;
  private source: AsyncIterator<Event> | undefined;
  private mapper: StreamMapper<Event> | undefined;
  private attempt: ReturnType<ManagedStreamContext<Event>['attemptSignal']> | undefined;
  private attempts = 0;
  /** A content part reached the caller: from then on a failure cannot be retried or fall back. */
  private delivered = false;
  /**
   * The attempt's contentless opening parts (`response-start`), held back until its first content part, so a
   * stream that fails before any content is retried (or falls back) without the caller seeing two starts.
   */
  private readonly heldBack: ChatStreamPart[] = [];
  /** The finish part was delivered; the body's tail is drained before reporting done. */
  private finished = false;
  /** A failure that comes after the parts already in the buffer. */
  private deferredError: { error: unknown } | undefined;
  private done = false;
  private modelId: string;

  constructor(private readonly context: ManagedStreamContext<Event>) {
    this.modelId = context.modelId;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<ChatStreamPart>> {
    if (this.index < this.buffer.length) {
      return Promise.resolve({ done: false, value: this.deliver(this.buffer[this.index++] as ChatStreamPart) });
    }
    if (this.deferredError !== undefined && !this.finished) {
      const { error } = this.deferredError;
      this.deferredError = undefined;
      return this.afterError(error);
    }
    const source = this.source;
    // Hot path: one `then` on the SDK's promise per event, no async-function frame.
    if (source !== undefined && !this.finished && !this.done) {
      this.buffer.length = 0;
      this.index = 0;
      return source.next().then(this.afterEvent, this.afterError);
    }
    return this.slowNext();
  }

  private readonly afterEvent = (
    result: IteratorResult<Event>,
  ): IteratorResult<ChatStreamPart> | Promise<IteratorResult<ChatStreamPart>> => {
    try {
      this.take(result);
    } catch (error) {
      if (this.buffer.length === 0) return this.afterError(error);
      // A batch (one network read) failed part-way: its earlier events reach the caller first, as they would
      // have one by one, and the failure follows them.
      this.deferredError = { error };
    }
    if (this.index < this.buffer.length) {
      return { done: false, value: this.deliver(this.buffer[this.index++] as ChatStreamPart) };
    }
    return this.next();
  };

  private readonly afterError = (error: unknown): Promise<IteratorResult<ChatStreamPart>> =>
    this.recover(error).then(() => this.next());

  /**
   * Maps one SDK result into the buffer; at the end, insists on a finish part. Our mapping tripping over an
   * event of the wrong shape (TypeError, RangeError) is `invalid-response`, not a connection failure; provider
   * errors the mapper raises map as usual.
   */
  private take(result: IteratorResult<Event>): void {
    const mapper = this.mapper;
    try {
      if (result.done !== true) {
        mapper?.push(result.value, this.buffer);
        return;
      }
      mapper?.end(this.buffer);
    } catch (error) {
      throw error instanceof TypeError || error instanceof RangeError
        ? unreadableAnswer(this.context.provider, error)
        : error;
    } finally {
      if (!this.delivered) this.holdBackStart();
    }
    if (!this.buffer.some((part) => part.type === 'finish')) {
      throw new AgenticGenError(
        'network',
        `[${this.context.scope}] the stream ended before the provider finished the answer; the connection was probably cut`,
        { data: { provider: this.context.provider } },
      );
    }
  }

  /** Before the first content part, start parts wait in `heldBack`; once content arrives they go first. */
  private holdBackStart(): void {
    if (this.buffer.every((part) => part.type === 'response-start')) {
      this.heldBack.push(...this.buffer);
      this.buffer.length = 0;
      this.index = 0;
    } else if (this.heldBack.length > 0) {
      this.buffer.splice(0, this.index, ...this.heldBack);
      this.index = 0;
      this.heldBack.length = 0;
    }
  }

  /** Opening an attempt, draining after the finish, and the end. */
  private async slowNext(): Promise<IteratorResult<ChatStreamPart>> {
    if (this.finished && !this.done) await this.drain();
    if (this.done) return { done: true, value: undefined };
    try {
      await this.open();
    } catch (error) {
      await this.recover(error);
    }
    return this.next();
  }

  async return(): Promise<IteratorResult<ChatStreamPart>> {
    if (!this.done) {
      this.done = true;
      this.release(true);
    }
    return { done: true, value: undefined };
  }

  /**
   * Reads the provider stream to its end after the finish part (usually just the closing bytes), so the
   * connection goes back to the keep-alive pool instead of being aborted. The attempt's timeout still bounds it.
   */
  private async drain(): Promise<void> {
    this.done = true;
    const source = this.source;
    try {
      while (source !== undefined && (await source.next()).done !== true) {
        // Events after the finish carry nothing the caller needs.
      }
      this.release(false);
    } catch {
      this.release(true);
    }
  }

  private async open(): Promise<void> {
    this.attempts++;
    this.attempt = this.context.attemptSignal();
    const opened = await this.context.open(this.attempt.guard.signal);
    this.source = opened.events[Symbol.asyncIterator]();
    this.mapper = opened.mapper;
  }

  private deliver(part: ChatStreamPart): ChatStreamPart {
    this.delivered = true;
    if (part.type === 'response-start') this.modelId = part.modelId || this.modelId;
    if (part.type !== 'finish') return part;
    this.finished = true;
    this.index = this.buffer.length;
    const costUsd = this.context.costOf(this.modelId, part.usage);
    return costUsd === undefined ? part : { ...part, costUsd };
  }

  /** Maps the failure; rethrows it, or waits and lets `next` open a fresh attempt. */
  private async recover(error: unknown): Promise<void> {
    const signal = this.attempt?.guard.signal;
    const mapped = signal?.aborted
      ? abortErrorFrom(signal, this.context.scope)
      : toProviderError(error, this.context.provider);
    this.release(true);
    // The failed attempt's start parts never reach the caller; the next attempt sends its own.
    this.heldBack.length = 0;
    const { policy, request } = this.context;
    // Once parts reached the caller a retry would duplicate them, so only a clean failure is retried.
    const delayMs =
      this.delivered || request.signal?.aborted ? undefined : retryDelayFor(mapped, this.attempts, policy);
    if (delayMs === undefined) {
      this.done = true;
      throw mapped;
    }
    policy.onRetry?.({ attempt: this.attempts, delayMs, error: mapped });
    try {
      await policy.sleep(delayMs, request.signal);
    } catch (sleepError) {
      this.done = true;
      throw sleepError;
    }
  }

  /** Ends the current attempt; `abort` cancels the HTTP request (consumer stopped or the attempt failed). */
  private release(abort: boolean): void {
    const attempt = this.attempt;
    const source = this.source;
    this.attempt = undefined;
    this.source = undefined;
    // Abort first: an SDK iterator's cleanup may wait on the body, which only the abort ends.
    if (abort)
      attempt?.local.abort(
        new AgenticGenError('aborted', `[${this.context.scope}] the stream was closed by its consumer`),
      );
    source?.return?.().catch(() => undefined);
    attempt?.guard.dispose();
  }
}
