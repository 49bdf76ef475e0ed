import {
  AgenticGenError,
  type CodeSession,
  disposeOnce,
  type RunOptions,
  type RunResult,
  type SandboxFile,
  throwIfAborted,
} from '@agenticgen/core';
import type { ResolvedLimits } from '../options.js';
import { readFileList, readRunResult } from './envelope.js';
import { RunQueue, type WaitingBudget } from './run-queue.js';
import { restartNotice, type SessionRestartEvent, type SessionRestartReason } from './sandbox-events.js';
import type { Reply, WorkerLink } from './worker-link.js';

export interface SessionHost {
  limits: ResolvedLimits;
  /** Most operations that may wait behind the one in progress in one session. */
  maxQueuedPerSession: number;
  acquire(signal?: AbortSignal): Promise<WorkerLink>;
  release(link: WorkerLink): void;
  forget(session: PythonSession): void;
  restarted(event: SessionRestartEvent): void;
}

const home = '/home/pyodide';

/** One interpreter in its own worker; runs are queued, a worker that had to be killed is replaced. */
export class PythonSession implements CodeSession {
  readonly id: string;
  private readonly queue: RunQueue;
  private disposed = false;
  /** True while a request is in flight: its own error path reports a worker that dies meanwhile. */
  private requesting = false;
  /** Set when the worker was replaced since the last run: the next result says the state was lost. */
  private lostState: string | undefined;

  constructor(
    private link: WorkerLink,
    private readonly host: SessionHost,
    owner?: WaitingBudget,
  ) {
    this.id = `session-${link.id}-${Math.random().toString(36).slice(2, 10)}`;
    this.queue = new RunQueue(host.maxQueuedPerSession, `session ${this.id}`, owner);
    this.watch(link);
  }

  run(code: string, options: RunOptions = {}): Promise<RunResult> {
    if (typeof code !== 'string') {
      return Promise.reject(new AgenticGenError('invalid-argument', '[sandbox] run(code): code must be a string'));
    }
    const timeoutMs = options.timeoutMs ?? this.host.limits.timeoutMs;
    if (!(timeoutMs > 0)) {
      return Promise.reject(new AgenticGenError('invalid-argument', '[sandbox] run(): timeoutMs must be above 0'));
    }
    return this.enqueue(() => this.execute(code, timeoutMs, options), options.signal);
  }

  writeFile(path: string, data: Uint8Array | string): Promise<void> {
    let absolute: string;
    try {
      absolute = resolvePath(path);
    } catch (error) {
      return Promise.reject(error);
    }
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    if (!(bytes instanceof Uint8Array)) {
      return Promise.reject(
        new AgenticGenError('invalid-argument', '[sandbox] writeFile(): data must be a string or Uint8Array'),
      );
    }
    return this.enqueue(async () => {
      await this.request({ op: 'write-file', path: absolute }, bytes);
    });
  }

  readFile(path: string): Promise<Uint8Array> {
    let absolute: string;
    try {
      absolute = resolvePath(path);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.enqueue(async () => {
      const reply = await this.request({ op: 'read-file', path: absolute });
      return reply.payload ?? new Uint8Array(0);
    });
  }

  listFiles(directory: string = home): Promise<SandboxFile[]> {
    let absolute: string;
    try {
      absolute = resolvePath(directory);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.enqueue(async () => {
      const reply = await this.request({ op: 'list-files', path: absolute });
      const files = readFileList(reply.value);
      if (files === undefined)
        throw new AgenticGenError('invalid-response', '[sandbox] a worker sent an invalid file list');
      return files;
    });
  }

  reset(): Promise<void> {
    return this.enqueue(async () => {
      this.release();
      this.lostState = undefined;
      await this.worker();
    });
  }

  /** One release for every `dispose()` / `await using`: later calls wait for the first to finish. */
  private readonly releaseOnce = disposeOnce(async () => {
    this.disposed = true;
    // Terminate first: a run in flight ends now (as a SandboxCrash result) instead of at its time limit.
    this.release();
    await this.queue.drained();
    this.host.forget(this);
  });

  dispose(): Promise<void> {
    return this.releaseOnce();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.releaseOnce();
  }

  private enqueue<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.disposed) return Promise.reject(new AgenticGenError('disposed', '[sandbox] the session was disposed'));
    return this.queue.enqueue(task, signal);
  }

  /** The session's worker, replaced by a fresh one from the pool if it died (`signal` cancels that wait). */
  private async worker(signal?: AbortSignal): Promise<WorkerLink> {
    if (this.disposed) throw new AgenticGenError('disposed', '[sandbox] the session was disposed');
    if (!this.link.alive) {
      // A worker that stopped on its own was reported by `watch` or the request that saw it die; one ended on
      // purpose (reset) loses nothing the caller did not ask to lose.
      if (!this.link.releasedByHost) this.lostState ??= restartNotice['worker-exit'];
      this.link = await this.host.acquire(signal);
      this.watch(this.link);
    }
    return this.link;
  }

  /** Reports a worker that stops on its own while no request of this session is in flight. */
  private watch(link: WorkerLink): void {
    link.onExit((reason) => {
      if (link !== this.link || this.disposed || this.requesting || link.releasedByHost) return;
      this.restarted('worker-exit', `the worker stopped between runs (${plainReason(reason)})`);
    });
  }

  /** Ends the use of the current worker on purpose (reset, dispose): no restart is reported. */
  private release(): void {
    this.link.releasedByHost = true;
    this.host.release(this.link);
  }

  /** Records a lost state: the next run says so, and `session-restart` says why now. */
  private restarted(reason: SessionRestartReason, detail: string): void {
    this.lostState = restartNotice[reason];
    this.host.restarted({ sessionId: this.id, reason, detail });
  }

  /** Replaces the worker after a run that left it unusable or too big. */
  private replace(reason: SessionRestartReason, detail: string): void {
    this.release();
    this.restarted(reason, detail);
  }

  /** One request to the session's worker; a worker that dies meanwhile is reported as a crash. */
  private async request(
    body: Record<string, unknown>,
    payload?: Uint8Array,
    onOutput?: (stream: 'stdout' | 'stderr', text: string) => void,
  ): Promise<Reply> {
    const link = await this.worker();
    this.requesting = true;
    try {
      return await link.request(body, payload, onOutput);
    } catch (error) {
      if (AgenticGenError.hasCode(error, 'sandbox-crashed') && !this.disposed && !link.releasedByHost) {
        this.restarted('crash', `the worker stopped during ${String(body.op)} (${crashReason(error)})`);
      }
      throw error;
    } finally {
      this.requesting = false;
    }
  }

  private async execute(code: string, timeoutMs: number, options: RunOptions): Promise<RunResult> {
    throwIfAborted(options.signal, 'sandbox');
    const link = await this.worker(options.signal);
    const limits = this.host.limits;
    const notice = this.lostState;
    this.lostState = undefined;
    const streamed = { stdout: '', stderr: '' };
    let stopping: 'timeout' | 'abort' | undefined;
    let killTimer: ReturnType<typeof setTimeout> | undefined;
    const stop = (reason: 'timeout' | 'abort') => {
      if (stopping !== undefined) return;
      stopping = reason;
      link.interrupt();
      // What the interrupt cannot stop (sleep, C loops, swallowed KeyboardInterrupt) is stopped by force.
      killTimer = setTimeout(() => {
        if (!link.alive) return;
        this.replace('time-limit', `the run did not stop within graceMs (${limits.graceMs} ms) of the interrupt`);
      }, limits.graceMs);
    };
    const timer = setTimeout(() => stop('timeout'), timeoutMs);
    const onAbort = () => stop('abort');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const started = performance.now();
    const withNotice = (result: RunResult): RunResult => {
      if (notice !== undefined)
        result.stderr = `[sandbox] the session was restarted (${notice}); earlier state is lost\n${result.stderr}`;
      return result;
    };
    this.requesting = true;
    try {
      const reply = await link.request(
        {
          op: 'run',
          code,
          limits: {
            outputLimit: limits.outputLimit,
            resultLimit: limits.resultLimit,
            recursionLimit: limits.recursionLimit,
            memoryLimitBytes: limits.memoryLimitBytes,
          },
        },
        undefined,
        (stream, text) => {
          const room = limits.outputLimit - streamed[stream].length;
          if (room <= 0) return;
          const kept = text.slice(0, room);
          streamed[stream] += kept;
          (stream === 'stdout' ? options.onStdout : options.onStderr)?.(kept);
        },
      );
      const result = readRunResult(reply.value);
      if (result === undefined) {
        this.replace('invalid-reply', 'a run reply failed validation');
        throw new AgenticGenError('invalid-response', '[sandbox] a worker sent an invalid run result; it was replaced');
      }
      const { heapBytes, ...runResult } = result;
      // Past the limit the run is a timeout, whatever Python made of the interrupt (caught it, or hit it inside
      // a `__repr__` that the harness reported as a failed repr).
      if (stopping === 'abort') throw abortError(options.signal);
      if (stopping === 'timeout') {
        runResult.ok = false;
        delete runResult.result;
        runResult.error = {
          type: 'TimeoutError',
          message: `run exceeded the time limit of ${timeoutMs} ms and was interrupted`,
          traceback: runResult.error?.traceback ?? '',
        };
      }
      const megabytes = (bytes: number) => Math.round(bytes / 1048576);
      if (reply.fatal) this.replace('crash', 'the interpreter failed during the run');
      else if (heapBytes > limits.memoryLimitBytes) {
        // JavaScript objects outside V8's heap limit (typed arrays) are only measured when the run ends.
        this.replace('memory-limit', `the worker held ${megabytes(heapBytes)} MiB after a run (memoryLimitMb)`);
        runResult.ok = false;
        delete runResult.result;
        runResult.error = {
          type: 'MemoryError',
          message: `out of memory: the run left ${megabytes(heapBytes)} MiB in use, above the sandbox memory limit (${megabytes(limits.memoryLimitBytes)} MiB); the session was restarted and its state is lost`,
          traceback: '',
        };
      } else if (heapBytes > limits.recycleAboveBytes) {
        const used = megabytes(heapBytes);
        this.replace('memory-limit', `the worker held ${used} MiB after a run (recycleAboveMb)`);
        runResult.stderr += `\n[sandbox] the session used ${used} MiB of memory; it was restarted and its state is lost\n`;
      }
      return withNotice(runResult);
    } catch (error) {
      if (!AgenticGenError.hasCode(error, 'sandbox-crashed')) throw error;
      if (stopping === 'abort') throw abortError(options.signal);
      if (this.disposed) throw new AgenticGenError('disposed', '[sandbox] the session was disposed while the code ran');
      // The worker was terminated (time limit) or died (out of memory, crash): the session gets a fresh one.
      const reason = crashReason(error);
      const timedOut = stopping === 'timeout';
      const outOfMemory = !timedOut && reason === 'out-of-memory';
      if (outOfMemory) this.restarted('memory-limit', 'the worker reached its JavaScript heap limit during a run');
      else if (!timedOut) this.restarted('crash', `the worker stopped during a run (${reason})`);
      const megabytes = Math.round(limits.memoryLimitBytes / 1048576);
      return withNotice({
        ok: false,
        stdout: streamed.stdout,
        stderr: streamed.stderr,
        error: {
          type: timedOut ? 'TimeoutError' : outOfMemory ? 'MemoryError' : 'SandboxCrash',
          message: timedOut
            ? `run exceeded the time limit of ${timeoutMs} ms and did not stop when interrupted; the session was restarted and its state is lost`
            : outOfMemory
              ? `out of memory: the run reached the sandbox memory limit (${megabytes} MiB); the session was restarted and its state is lost`
              : `the sandbox worker stopped (${reason}); the session was restarted and its state is lost`,
          traceback: '',
        },
        durationMs: performance.now() - started,
        truncated: streamed.stdout.length >= limits.outputLimit || streamed.stderr.length >= limits.outputLimit,
      });
    } finally {
      this.requesting = false;
      clearTimeout(timer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }
}

/**
 * The exit reason the sandbox layer gave, as it may appear in a result: the layer sends fixed words, but it is
 * untrusted, so anything else is reduced to plain characters and cut (no line breaks, no forged `[sandbox]` lines).
 */
function crashReason(error: unknown): string {
  const reason = (error as AgenticGenError).data?.reason;
  return typeof reason === 'string' ? plainReason(reason) : 'unknown';
}

function plainReason(reason: string): string {
  return reason.replace(/[^\w .:,()-]+/g, '?').slice(0, 120);
}

function abortError(signal: AbortSignal | undefined): AgenticGenError {
  return new AgenticGenError('aborted', '[sandbox] the run was cancelled', { cause: signal?.reason });
}

/** Paths are resolved against the home directory; `..` segments cannot climb above `/`. */
function resolvePath(path: string): string {
  if (typeof path !== 'string' || path.length === 0 || path.includes('\0')) {
    throw new AgenticGenError(
      'invalid-argument',
      `[sandbox] invalid path ${JSON.stringify(path)}: use a non-empty path`,
    );
  }
  const parts: string[] = [];
  for (const part of (path.startsWith('/') ? path : `${home}/${path}`).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}
