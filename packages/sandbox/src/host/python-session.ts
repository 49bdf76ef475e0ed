import {
  AgenticGenError,
  type CodeSession,
  type RunOptions,
  type RunResult,
  type SandboxFile,
  throwIfAborted,
} from '@agenticgen/core';
import type { ResolvedLimits } from '../options.js';
import { readFileList, readRunResult } from './envelope.js';
import type { WorkerLink } from './worker-link.js';

export interface SessionHost {
  limits: ResolvedLimits;
  acquire(signal?: AbortSignal): Promise<WorkerLink>;
  release(link: WorkerLink): void;
  forget(session: PythonSession): void;
}

const home = '/home/pyodide';

/** One interpreter in its own worker; runs are queued, a worker that had to be killed is replaced. */
export class PythonSession implements CodeSession {
  readonly id: string;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  /** Set when the worker was replaced since the last run: the next result says the state was lost. */
  private lostState: string | undefined;

  constructor(
    private link: WorkerLink,
    private readonly host: SessionHost,
  ) {
    this.id = `session-${link.id}-${Math.random().toString(36).slice(2, 10)}`;
  }

  run(code: string, options: RunOptions = {}): Promise<RunResult> {
    if (typeof code !== 'string') {
      return Promise.reject(new AgenticGenError('invalid-argument', '[sandbox] run(code): code must be a string'));
    }
    const timeoutMs = options.timeoutMs ?? this.host.limits.timeoutMs;
    if (!(timeoutMs > 0)) {
      return Promise.reject(new AgenticGenError('invalid-argument', '[sandbox] run(): timeoutMs must be above 0'));
    }
    return this.enqueue(() => this.execute(code, timeoutMs, options));
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
      const link = await this.worker();
      await link.request({ op: 'write-file', path: absolute }, bytes);
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
      const link = await this.worker();
      const reply = await link.request({ op: 'read-file', path: absolute });
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
      const link = await this.worker();
      const reply = await link.request({ op: 'list-files', path: absolute });
      const files = readFileList(reply.value);
      if (files === undefined)
        throw new AgenticGenError('invalid-response', '[sandbox] a worker sent an invalid file list');
      return files;
    });
  }

  reset(): Promise<void> {
    return this.enqueue(async () => {
      this.replace('reset');
      this.lostState = undefined;
      await this.worker();
    });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    // Terminate first: a run in flight ends now (as a SandboxCrash result) instead of at its time limit.
    this.host.release(this.link);
    await this.queue.catch(() => {});
    this.host.forget(this);
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    if (this.disposed) return Promise.reject(new AgenticGenError('disposed', '[sandbox] the session was disposed'));
    const next = this.queue.then(task, task);
    this.queue = next.catch(() => {});
    return next;
  }

  /** The session's worker, replaced by a fresh one from the pool if it died. */
  private async worker(): Promise<WorkerLink> {
    if (this.disposed) throw new AgenticGenError('disposed', '[sandbox] the session was disposed');
    if (!this.link.alive) {
      this.link = await this.host.acquire();
    }
    return this.link;
  }

  private replace(reason: string): void {
    this.lostState = reason;
    this.host.release(this.link);
  }

  private async execute(code: string, timeoutMs: number, options: RunOptions): Promise<RunResult> {
    throwIfAborted(options.signal, 'sandbox');
    const link = await this.worker();
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
      killTimer = setTimeout(() => link.terminate(), limits.graceMs);
    };
    const timer = setTimeout(() => stop('timeout'), timeoutMs);
    const onAbort = () => stop('abort');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const started = performance.now();
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
        this.replace('invalid reply');
        throw new AgenticGenError('invalid-response', '[sandbox] a worker sent an invalid run result; it was replaced');
      }
      const { heapBytes, ...runResult } = result;
      if (stopping !== undefined && runResult.error?.type === 'KeyboardInterrupt') {
        if (stopping === 'abort') throw abortError(options.signal);
        runResult.error = {
          type: 'TimeoutError',
          message: `run exceeded the time limit of ${timeoutMs} ms and was interrupted`,
          traceback: runResult.error.traceback,
        };
      }
      if (reply.fatal) this.replace('the interpreter failed');
      else if (heapBytes > limits.recycleAboveBytes) {
        this.replace('memory');
        runResult.stderr += `\n[sandbox] the session used ${Math.round(heapBytes / 1048576)} MiB of memory; it was restarted and its state is lost\n`;
      }
      if (notice !== undefined)
        runResult.stderr = `[sandbox] the session was restarted (${notice}); earlier state is lost\n${runResult.stderr}`;
      return runResult;
    } catch (error) {
      if (!AgenticGenError.hasCode(error, 'sandbox-crashed')) throw error;
      if (stopping === 'abort') throw abortError(options.signal);
      if (this.disposed) throw new AgenticGenError('disposed', '[sandbox] the session was disposed while the code ran');
      // The worker was terminated (time limit) or died (e.g. out of memory): the session gets a fresh one.
      this.lostState = stopping === 'timeout' ? 'time limit' : 'worker crash';
      const timedOut = stopping === 'timeout';
      return {
        ok: false,
        stdout: streamed.stdout,
        stderr: streamed.stderr,
        error: {
          type: timedOut ? 'TimeoutError' : 'SandboxCrash',
          message: timedOut
            ? `run exceeded the time limit of ${timeoutMs} ms and did not stop when interrupted; the session was restarted and its state is lost`
            : `the sandbox worker stopped (${(error as AgenticGenError).message}); the session was restarted and its state is lost`,
          traceback: '',
        },
        durationMs: performance.now() - started,
        truncated: streamed.stdout.length >= limits.outputLimit || streamed.stderr.length >= limits.outputLimit,
      };
    } finally {
      clearTimeout(timer);
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }
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
