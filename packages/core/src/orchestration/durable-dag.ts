/**
 * A DAG whose node results persist in a `RunStore`: running it again with the same run id skips the nodes that
 * completed (their stored outputs feed their dependents), so a workflow restarted after a crash — in another
 * process — redoes only what had not finished. A node can `suspend` until a payload arrives from outside
 * (a person, an event); the run reports `suspended`, and runs on once `resolveWorkflowSuspension` stored a
 * payload that satisfied the node's schema.
 */
import type { RunStore, RunSuspension } from '../contracts/run-store.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import type { Static, TSchema } from '../schema/index.js';
import { compileSchema } from '../schema/validator.js';
import { type DagNode, type DagOptions, type DagResult, runDag } from './dag.js';
import type { TaskContext } from './task.js';

/** What a node asks for when it suspends. */
export interface SuspendRequest<S extends TSchema> {
  /** Unique within the run; the resume payload is addressed to it. */
  id: string;
  /** Why the run waits, shown to whoever answers. */
  reason: string;
  /** The payload's schema; a payload that does not satisfy it is refused at resolve time. */
  schema: S;
}

/** The context of a durable node: the task context plus `suspend`. */
export interface DurableTaskContext extends TaskContext {
  /** The workflow run's id. */
  readonly runId: string;
  /**
   * 1 for the first run of the workflow; one more each time it is run again after it ended failed or suspended.
   * A run interrupted while `running` (a crash) keeps its attempt, so queued steps rejoin their jobs.
   */
  readonly runAttempt: number;
  /** `<runId>:<nodeId>`: the same on every re-run of the node; pass it to external APIs to dedupe side effects. */
  readonly idempotencyKey: string;
  /** Resolves with the validated payload once resumed; until then the run suspends at this node. */
  suspend<S extends TSchema>(request: SuspendRequest<S>): Promise<Static<S>>;
}

/** A DAG node of a durable workflow; its output must be plain JSON (it is stored). */
export interface DurableDagNode<O = unknown> extends Omit<DagNode<O>, 'run'> {
  run(inputs: Readonly<Record<string, unknown>>, context: DurableTaskContext): Promise<O> | O;
}

export interface DurableDagOptions extends DagOptions {
  /** Where node results, suspensions and the run's status live. */
  store: RunStore;
  /** The workflow run's id: the same id continues the same run. */
  runId: string;
  /** The workflow's name (default `workflow`). */
  name?: string;
}

/** A durable DAG's result: the DAG result plus the suspensions it waits on. */
export interface DurableDagResult extends DagResult {
  /** `completed`, `suspended` (waiting on `suspensions`) or `failed`. */
  status: 'completed' | 'suspended' | 'failed';
  /** Pending suspensions of the run. */
  suspensions: RunSuspension[];
  /** Nodes whose stored result was reused instead of running them. */
  reused: string[];
}

const kind = 'workflow';

/** Runs (or continues) a durable workflow. */
export async function runDurableDag(
  nodes: readonly DurableDagNode[],
  options: DurableDagOptions,
): Promise<DurableDagResult> {
  const { store, runId } = options;
  const name = options.name ?? 'workflow';
  const previous = await store.loadCheckpoint(runId);
  const previousAttempt = Number((previous?.state as { attempt?: unknown } | undefined)?.attempt ?? 1);
  const runAttempt = previous === undefined ? 1 : previous.status === 'running' ? previousAttempt : previousAttempt + 1;
  const saved = await store.loadNodeResults(runId);
  const reused: string[] = [];
  const resolved = new Map(
    (await store.listSuspensions({ runId, status: 'resolved' })).map((entry) => [entry.suspensionId, entry.payload]),
  );
  const pendingIds = new Set(
    (await store.listSuspensions({ runId, status: 'pending' })).map((entry) => entry.suspensionId),
  );
  const wrapped: DagNode[] = nodes.map((node) => ({
    ...node,
    async run(inputs, context) {
      if (Object.hasOwn(saved, node.id)) {
        reused.push(node.id);
        return saved[node.id];
      }
      const durableContext: DurableTaskContext = {
        taskId: context.taskId,
        runId,
        runAttempt,
        idempotencyKey: `${runId}:${node.id}`,
        attempt: context.attempt,
        signal: context.signal,
        progress: (fraction, message) => context.progress(fraction, message),
        async suspend(request) {
          if (resolved.has(request.id)) return resolved.get(request.id) as Static<typeof request.schema>;
          if (!pendingIds.has(request.id)) {
            await store.saveSuspension({
              runId,
              suspensionId: request.id,
              reason: request.reason,
              schema: request.schema,
            });
            pendingIds.add(request.id);
          }
          throw new AgenticGenError(
            'run-suspended',
            `[workflow] run ${runId.slice(0, 100)} waits at node "${node.id}" for "${request.id.slice(0, 100)}": ${request.reason.slice(0, 200)}`,
            { data: { runId, nodeId: node.id, suspensionId: request.id } },
          );
        },
      };
      const output = await node.run(inputs, durableContext);
      await store.saveNodeResult(runId, node.id, output ?? null);
      return output;
    },
  }));
  await store.saveCheckpoint({
    runId,
    kind,
    name,
    status: 'running',
    step: 0,
    state: { nodes: nodes.length, attempt: runAttempt },
  });
  const result = await runDag(wrapped, options);
  const suspended = Object.values(result.errors).some((error) => error.code === 'run-suspended');
  const status = result.ok ? 'completed' : suspended ? 'suspended' : 'failed';
  await store.saveCheckpoint({
    runId,
    kind,
    name,
    status,
    step: 0,
    state: { nodes: nodes.length, attempt: runAttempt },
  });
  return {
    ...result,
    status,
    suspensions: await store.listSuspensions({ runId, status: 'pending' }),
    reused,
  };
}

/**
 * Delivers the payload a suspended node waits for, after checking it against the node's schema (pass the same
 * schema the node suspends with). Resolves `false` when the suspension was already resolved.
 */
export async function resolveWorkflowSuspension<S extends TSchema>(
  store: RunStore,
  request: { runId: string; suspensionId: string; schema: S; payload: unknown },
): Promise<boolean> {
  const payload = compileSchema(request.schema).parse(request.payload, {
    scope: 'workflow',
    code: 'invalid-argument',
    what: `payload for "${request.suspensionId.slice(0, 100)}"`,
  });
  return store.resolveSuspension(request.runId, request.suspensionId, payload);
}
