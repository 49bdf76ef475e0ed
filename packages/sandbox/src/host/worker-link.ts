import { AgenticGenError } from '@agenticgen/core';
import { type Envelope, type RuntimeMessage, readRuntimeMessage } from './envelope.js';
import type { SnapshotCacheEvent } from './sandbox-events.js';

/**
 * What a runtime half offers the shared sandbox logic: the Node half talks to a child process over IPC, the
 * browser half to a sandboxed iframe over a dedicated MessagePort. Messages coming back are raw and untrusted.
 */
export interface SandboxTransport {
  /**
   * Starts the isolated layer (and its memory snapshot); resolves when workers can be spawned, with where the
   * snapshot came from when that is known by then (otherwise the transport reports it later: `onSnapshotCache`).
   */
  start(limits: Record<string, number>): Promise<SnapshotCacheEvent | undefined>;
  spawn(worker: number): void;
  send(worker: number, json: string, payload?: Uint8Array): void;
  interrupt(worker: number): void;
  terminate(worker: number): void;
  /** The one receiver of raw messages from the isolated layer. */
  onEnvelope(listener: (envelope: Envelope) => void): void;
  /** Called once if the isolated layer itself dies. */
  onCrash(listener: (reason: string) => void): void;
  /** Where a snapshot came from, when it is known only after `start` resolved (Node: once it was stored). */
  onSnapshotCache?(listener: (event: SnapshotCacheEvent) => void): void;
  /** Stops the isolated layer and everything in it. */
  close(): Promise<void>;
}

export interface Reply {
  value: unknown;
  fatal: boolean;
  payload?: Uint8Array;
}

interface Pending {
  id: number;
  resolve(reply: Reply): void;
  reject(error: AgenticGenError): void;
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
}

/** Host-side handle of one worker: one request at a time, replies matched by id, everything else dropped. */
export class WorkerLink {
  readonly id: number;
  readonly ready: Promise<void>;
  heapBytes = 0;
  alive = true;
  /** Set by the host side before it ends this worker on purpose, so its exit is not reported as a loss. */
  releasedByHost = false;
  private pending: Pending | undefined;
  private nextRequest = 1;
  private settleReady!: (error?: AgenticGenError) => void;
  private started = false;
  private readonly exitListeners = new Set<(reason: string) => void>();

  constructor(
    id: number,
    private readonly transport: SandboxTransport,
    private readonly onDropped: (reason: string) => void,
  ) {
    this.id = id;
    this.ready = new Promise<void>((resolve, reject) => {
      this.settleReady = (error) => (error === undefined ? resolve() : reject(error));
    });
    // A worker that never became ready is reported through `ready`; avoid an unhandled rejection meanwhile.
    this.ready.catch(() => {});
  }

  /** Sends one request; resolves with the validated reply envelope. */
  request(
    body: Record<string, unknown>,
    payload?: Uint8Array,
    onOutput?: (stream: 'stdout' | 'stderr', text: string) => void,
  ): Promise<Reply> {
    if (!this.alive) return Promise.reject(crashed(this.id, 'the worker is gone'));
    if (this.pending !== undefined) {
      return Promise.reject(new AgenticGenError('internal', '[sandbox] a worker received two requests at once'));
    }
    const id = this.nextRequest++;
    return new Promise<Reply>((resolve, reject) => {
      this.pending = onOutput === undefined ? { id, resolve, reject } : { id, resolve, reject, onOutput };
      this.transport.send(this.id, JSON.stringify({ ...body, id }), payload);
    });
  }

  interrupt(): void {
    if (this.alive) this.transport.interrupt(this.id);
  }

  terminate(): void {
    if (!this.alive) return;
    this.transport.terminate(this.id);
    this.exited('terminated');
  }

  onExit(listener: (reason: string) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /** Routes one envelope addressed to this worker. */
  receive(envelope: Envelope): void {
    if (envelope.t === 'exit') {
      this.exited(envelope.reason);
      return;
    }
    if (envelope.t !== 'message') return;
    const message = readRuntimeMessage(envelope.json);
    if (message === undefined) {
      this.onDropped(`worker ${this.id}: malformed message`);
      return;
    }
    this.route(message, envelope.payload);
  }

  private route(message: RuntimeMessage, payload: Uint8Array | undefined): void {
    if (message.op === 'ready' || message.op === 'fatal') {
      if (this.started) {
        this.onDropped(`worker ${this.id}: unexpected ${message.op}`);
        return;
      }
      this.started = true;
      if (message.op === 'ready') {
        this.heapBytes = message.heapBytes;
        this.settleReady();
      } else {
        this.settleReady(
          new AgenticGenError('sandbox-start-failed', `[sandbox] a worker failed to start: ${message.message}`),
        );
        this.terminate();
      }
      return;
    }
    const pending = this.pending;
    if (pending === undefined || message.id !== pending.id) {
      this.onDropped(`worker ${this.id}: ${message.op} for request ${message.id}, which is not pending`);
      return;
    }
    if (message.op === 'output') {
      pending.onOutput?.(message.stream, message.text);
      return;
    }
    this.pending = undefined;
    if (message.ok) {
      pending.resolve(
        payload === undefined
          ? { value: message.value, fatal: message.fatal }
          : { value: message.value, fatal: message.fatal, payload },
      );
    } else {
      pending.reject(
        new AgenticGenError(
          message.error.code === 'file-not-found' ? 'not-found' : 'invalid-argument',
          `[sandbox] ${message.error.message}`,
          {
            data: { reason: message.error.code },
          },
        ),
      );
    }
  }

  private exited(reason: string): void {
    if (!this.alive) return;
    this.alive = false;
    if (!this.started) {
      this.started = true;
      this.settleReady(
        new AgenticGenError('sandbox-start-failed', `[sandbox] a worker exited while starting (${reason})`),
      );
    }
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(crashed(this.id, reason));
    for (const listener of this.exitListeners) listener(reason);
  }
}

function crashed(id: number, reason: string): AgenticGenError {
  return new AgenticGenError('sandbox-crashed', `[sandbox] worker ${id} stopped: ${reason}`, { data: { reason } });
}
