/**
 * The durable-run contract: checkpoints of agent runs and workflows, pending suspensions and the idempotency
 * ledger that makes a tool's side effect happen once across a crash. The memory store in core and the
 * PGlite/PostgreSQL drivers of `@agenticgen/store` implement it.
 */
import type { StoreCallOptions } from './store-call-options.js';

/** Where a run is. */
export type StoredRunStatus = 'running' | 'suspended' | 'completed' | 'failed';

/** The last completed step of a run. */
export interface RunCheckpoint {
  /** The run's id. */
  runId: string;
  /** What kind of run: `agent` or `workflow` (free text for other runners). */
  kind: string;
  /** The agent's or workflow's name; resuming with another one is refused. */
  name: string;
  /** Where the run is. */
  status: StoredRunStatus;
  /** Number of the last completed step (0 = started, nothing done yet). */
  step: number;
  /** The runner's state after that step, as plain JSON (messages, usage, pending calls…). */
  state: unknown;
  /** Last write, epoch milliseconds. */
  updatedAt: number;
}

/** What `saveCheckpoint` takes. */
export type NewRunCheckpoint = Omit<RunCheckpoint, 'updatedAt'>;

/** A point where a run waits for something from outside (a person, an event, a timer). */
export interface RunSuspension {
  /** The run that waits. */
  runId: string;
  /** Unique within the run. */
  suspensionId: string;
  /** Why it waits, for the person or system that answers. */
  reason: string;
  /** JSON Schema the resume payload must satisfy. */
  schema?: unknown;
  /** `pending` until resolved with a payload. */
  status: 'pending' | 'resolved';
  /** The validated payload, once resolved. */
  payload?: unknown;
  /** Creation time, epoch milliseconds. */
  createdAt: number;
}

/** One side-effecting call in the idempotency ledger. */
export interface LedgerEntry {
  /** `<runId>:<callId>`: the idempotency key handed to the tool. */
  key: string;
  /** The tool's name. */
  toolName: string;
  /**
   * `started`: the call began and no outcome was recorded (after a crash, the outcome is unknown);
   * `completed`: the output is recorded and is replayed instead of calling again.
   */
  status: 'started' | 'completed';
  /** The recorded output (plain JSON), when completed. */
  output?: unknown;
  /** Whether the recorded output is a structured error. */
  isError?: boolean;
  /** Number of times the call was started (1 unless a crash re-started an idempotent tool). */
  attempts: number;
  /** Last change, epoch milliseconds. */
  updatedAt: number;
}

/** Durable runs. Every operation takes `StoreCallOptions` last (an `AbortSignal`). */
export interface RunStore {
  /**
   * Saves the checkpoint of a step. A checkpoint whose `step` is lower than the stored one is refused with
   * `conflict` (a stale writer, e.g. a process believed dead); the same step may be rewritten (status changes).
   * The store keeps a copy (or the serialised JSON) of `state`, never the caller's object: callers go on
   * mutating it after the save.
   */
  saveCheckpoint(checkpoint: NewRunCheckpoint, options?: StoreCallOptions): Promise<void>;
  /** The latest checkpoint, or `undefined`. */
  loadCheckpoint(runId: string, options?: StoreCallOptions): Promise<RunCheckpoint | undefined>;
  /** Runs with a status (e.g. `running` ones to resume after a restart), oldest update first, at most `limit` (default 100). */
  listRuns(
    query: { status: StoredRunStatus; kind?: string; limit?: number },
    options?: StoreCallOptions,
  ): Promise<RunCheckpoint[]>;
  /** Deletes a run with its node results, suspensions and ledger entries. */
  deleteRun(runId: string, options?: StoreCallOptions): Promise<void>;

  /** Records the result of a workflow node (plain JSON); rewriting the same node keeps the first result. */
  saveNodeResult(runId: string, nodeId: string, result: unknown, options?: StoreCallOptions): Promise<void>;
  /** Every node result of the run, by node id. */
  loadNodeResults(runId: string, options?: StoreCallOptions): Promise<Record<string, unknown>>;

  /** Records a pending suspension; an existing `suspensionId` of the run is an `already-exists` error. */
  saveSuspension(
    suspension: Omit<RunSuspension, 'status' | 'payload' | 'createdAt'>,
    options?: StoreCallOptions,
  ): Promise<RunSuspension>;
  /** Suspensions of a run (or every pending one when `runId` is omitted), oldest first. */
  listSuspensions(
    query: { runId?: string; status?: 'pending' | 'resolved' },
    options?: StoreCallOptions,
  ): Promise<RunSuspension[]>;
  /**
   * Resolves a pending suspension with its payload (validated by the caller). Resolves `true` when this call
   * resolved it and `false` when it was already resolved: two resumers never both win.
   */
  resolveSuspension(
    runId: string,
    suspensionId: string,
    payload: unknown,
    options?: StoreCallOptions,
  ): Promise<boolean>;

  /**
   * Marks the call `key` as started (inserting it, or incrementing `attempts`) and returns the entry as it was
   * before this call, or `undefined` when it is new. A `completed` entry is returned unchanged (not restarted).
   */
  beginCall(key: string, toolName: string, options?: StoreCallOptions): Promise<LedgerEntry | undefined>;
  /** Records the outcome of a started call. */
  completeCall(key: string, outcome: { output: unknown; isError: boolean }, options?: StoreCallOptions): Promise<void>;
  /** The ledger entry, or `undefined`. */
  getCall(key: string, options?: StoreCallOptions): Promise<LedgerEntry | undefined>;
}
