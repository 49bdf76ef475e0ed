import type { Envelope } from './envelope.js';
import type { SnapshotCacheEvent } from './sandbox-events.js';
import type { SandboxTransport } from './worker-link.js';

/**
 * The worker commands both isolated layers take (the Node child process and the browser frame), in one wire
 * shape, so the supervisor and the frame read the same messages.
 */
export type WorkerCommand =
  | { t: 'spawn'; w: number }
  | { t: 'send'; w: number; json: string; payload?: Uint8Array }
  | { t: 'interrupt'; w: number }
  | { t: 'terminate'; w: number };

/**
 * The channel half every transport shares: worker commands become posted messages, and the two listeners the
 * sandbox core registers are kept for the subclass to call. A subclass says how a message is posted (a child
 * process's IPC, a frame's MessagePort) and how the isolated layer starts and stops.
 */
export abstract class CommandTransport implements SandboxTransport {
  protected envelopeListener: ((envelope: Envelope) => void) | undefined;
  protected crashListener: ((reason: string) => void) | undefined;
  protected snapshotListener: ((event: SnapshotCacheEvent) => void) | undefined;

  /** Posts one command; dropped when the isolated layer is not (or no longer) running. */
  protected abstract postCommand(command: WorkerCommand): void;
  abstract start(limits: Record<string, number>): Promise<SnapshotCacheEvent | undefined>;
  abstract close(): Promise<void>;

  spawn(worker: number): void {
    this.postCommand({ t: 'spawn', w: worker });
  }

  send(worker: number, json: string, payload?: Uint8Array): void {
    this.postCommand(payload === undefined ? { t: 'send', w: worker, json } : { t: 'send', w: worker, json, payload });
  }

  interrupt(worker: number): void {
    this.postCommand({ t: 'interrupt', w: worker });
  }

  terminate(worker: number): void {
    this.postCommand({ t: 'terminate', w: worker });
  }

  onEnvelope(listener: (envelope: Envelope) => void): void {
    this.envelopeListener = listener;
  }

  onCrash(listener: (reason: string) => void): void {
    this.crashListener = listener;
  }

  onSnapshotCache(listener: (event: SnapshotCacheEvent) => void): void {
    this.snapshotListener = listener;
  }
}
