/**
 * Durable workflows whose steps run on queue workers: a `queuedStep` node of `runDurableDag` enqueues its work on
 * a `RedisTaskQueue` under a job id derived from `<runId>:<nodeId>`, and any process running
 * `durableStepHandlers` executes it and records the node's result in the shared `RunStore`. A coordinator that
 * restarts skips the nodes whose results are stored; after a crash (the run still `running`) re-enqueueing a
 * node that is still queued or running joins the existing job (same id) instead of starting a second one.
 */
import type { RunStore } from '../contracts/run-store.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import type { DurableDagNode } from './durable-dag.js';
import type { RedisTaskQueue, RemoteTaskHandler } from './redis-queue-types.js';
import type { TaskContext } from './task.js';

/** What a queued step's worker receives. */
export interface QueuedStepInput {
  /** The workflow run. */
  runId: string;
  /** The node this step is. */
  nodeId: string;
  /** The outputs of the node's dependencies, by id. */
  inputs: Record<string, unknown>;
}

/** The context of a step on a worker: the task context plus the node's idempotency key. */
export interface QueuedStepContext extends TaskContext {
  /** `<runId>:<nodeId>`, the same on every execution of the step; pass it to external APIs. */
  readonly idempotencyKey: string;
  /** The workflow run. */
  readonly runId: string;
}

/** A step as a worker runs it; its output must be plain JSON (it is stored). */
export type QueuedStep = (inputs: Readonly<Record<string, unknown>>, context: QueuedStepContext) => unknown;

export interface QueuedStepOptions {
  /** The node's id. */
  id: string;
  /** The queue handler name that runs it (a key of the workers' `durableStepHandlers` steps). */
  handler: string;
  /** Nodes that must complete first. */
  dependsOn?: readonly string[];
  /** How long the coordinator waits for the step's result, in ms (default: no limit). */
  timeoutMs?: number;
}

/**
 * The queue's job id of a node in one attempt of the run (BullMQ ids may not contain ':', so the key is
 * hex-encoded). Within an attempt the id is stable, so a restarted coordinator joins the job still queued or
 * running; a new attempt (after the run ended failed) gets new jobs, so a failed step runs again.
 */
export function queuedStepJobId(runId: string, nodeId: string, runAttempt: number): string {
  const bytes = new TextEncoder().encode(`${runId}:${nodeId}`);
  return `step-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}-${runAttempt}`;
}

/** A durable DAG node executed by a queue worker: the coordinator enqueues it and waits for its result. */
export function queuedStep(queue: RedisTaskQueue, options: QueuedStepOptions): DurableDagNode {
  return {
    id: options.id,
    ...(options.dependsOn === undefined ? {} : { dependsOn: options.dependsOn }),
    async run(inputs, context) {
      const input: QueuedStepInput = { runId: context.runId, nodeId: options.id, inputs: { ...inputs } };
      const handle = await queue.enqueue(options.handler, input, {
        id: queuedStepJobId(context.runId, options.id, context.runAttempt),
      });
      // Cancelling the workflow cancels the step wherever it runs.
      const cancel = () => void queue.cancel(handle.id, 'the workflow was cancelled').catch(() => undefined);
      context.signal.addEventListener('abort', cancel, { once: true });
      try {
        return await handle.result(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
      } finally {
        context.signal.removeEventListener('abort', cancel);
      }
    },
  };
}

/**
 * The queue handlers of a worker process: each runs a step and records its result in `store` before the
 * coordinator hears of it, so the result survives a coordinator crash. A step whose result is already stored
 * (the job ran again after a worker crash) returns it without running.
 */
export function durableStepHandlers(options: {
  store: RunStore;
  steps: Readonly<Record<string, QueuedStep>>;
}): Record<string, RemoteTaskHandler> {
  const { store } = options;
  return Object.fromEntries(
    Object.entries(options.steps).map(([name, step]) => [
      name,
      async (raw: unknown, context: TaskContext) => {
        const input = raw as Partial<QueuedStepInput> | null;
        if (typeof input?.runId !== 'string' || typeof input.nodeId !== 'string' || typeof input.inputs !== 'object') {
          throw new AgenticGenError(
            'invalid-argument',
            `[workflow] step "${name}" got a task that is not a queued step`,
          );
        }
        const { runId, nodeId } = input;
        const stored = await store.loadNodeResults(runId);
        if (Object.hasOwn(stored, nodeId)) return stored[nodeId];
        const output = await step(input.inputs ?? {}, {
          taskId: context.taskId,
          attempt: context.attempt,
          signal: context.signal,
          progress: (fraction, message) => context.progress(fraction, message),
          runId,
          idempotencyKey: `${runId}:${nodeId}`,
        });
        await store.saveNodeResult(runId, nodeId, output ?? null);
        // Of two executions racing, the first recorded result is the node's: return that one.
        return (await store.loadNodeResults(runId))[nodeId];
      },
    ]),
  );
}
