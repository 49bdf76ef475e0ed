import { AgenticGenError } from '../errors/agenticgen-error.js';
import { createScheduler, type Scheduler } from './scheduler.js';
import { type BackoffOptions, maxRetriesOf, type TaskContext } from './task.js';

/** One node of a task graph. */
export interface DagNode<O = unknown> {
  /** Unique id; other nodes depend on it by this id. */
  id: string;
  /** Ids of nodes that must complete first. */
  dependsOn?: readonly string[];
  /** Does the work; receives the outputs of its dependencies by id. */
  run(inputs: Readonly<Record<string, unknown>>, context: TaskContext): Promise<O> | O;
  /** Priority among ready nodes (higher first). */
  priority?: number;
  /** Concurrency group (for per-agent limits). */
  group?: string;
  /** Retries of this node after its first attempt (default: the scheduler's). */
  maxRetries?: number;
  /** @deprecated Use `maxRetries` (one name for the idea across packages, as in the adapters' retry options); removed in the next minor release. */
  retries?: number;
  /** Backoff between retries. */
  backoff?: BackoffOptions;
  /** Time limit per attempt in ms. */
  timeoutMs?: number;
}

export interface DagOptions {
  /** Run on this scheduler (default: a private one with `concurrency`). */
  scheduler?: Scheduler;
  /** Nodes running at once with the private scheduler (default 4). */
  concurrency?: number;
  /** Cancels the graph. */
  signal?: AbortSignal;
  /** Cancel everything on the first failure (default false: independent branches continue). */
  failFast?: boolean;
}

export interface DagResult {
  /** True when every node completed. */
  ok: boolean;
  /** Outputs of completed nodes by id. */
  outputs: Record<string, unknown>;
  /** Errors of failed nodes by id. */
  errors: Record<string, AgenticGenError>;
  /** Nodes not run because a dependency failed (or the graph was cancelled). */
  skipped: string[];
  /** Ids in completion order. */
  completionOrder: string[];
}

/**
 * Checks a graph: unique ids, known dependencies, no cycles. Returns a topological order; a cycle is a
 * `dependency-cycle` error that names the loop (`a → b → c → a`).
 */
export function validateDag(nodes: readonly Pick<DagNode, 'id' | 'dependsOn'>[]): string[] {
  const byId = new Map<string, Pick<DagNode, 'id' | 'dependsOn'>>();
  for (const node of nodes) {
    if (typeof node?.id !== 'string' || node.id === '') {
      throw new AgenticGenError('invalid-argument', '[orchestration] every DAG node needs a non-empty string id');
    }
    if (byId.has(node.id))
      throw new AgenticGenError('invalid-argument', `[orchestration] duplicate DAG node id "${node.id}"`);
    byId.set(node.id, node);
  }
  for (const node of nodes) {
    for (const dependency of node.dependsOn ?? []) {
      if (!byId.has(dependency)) {
        throw new AgenticGenError(
          'dependency-missing',
          `[orchestration] node "${node.id}" depends on unknown node "${dependency}"; add it or fix the id`,
          { data: { node: node.id, dependency } },
        );
      }
    }
  }
  // Depth-first search with colours; the grey path is the current chain, so a grey hit is a cycle.
  const colour = new Map<string, 'grey' | 'black'>();
  const order: string[] = [];
  const path: string[] = [];
  const visit = (id: string) => {
    const state = colour.get(id);
    if (state === 'black') return;
    if (state === 'grey') {
      const loop = [...path.slice(path.indexOf(id)), id];
      throw new AgenticGenError(
        'dependency-cycle',
        `[orchestration] the task graph has a cycle: ${loop.join(' → ')}; remove one dependency`,
        {
          data: { cycle: loop },
        },
      );
    }
    colour.set(id, 'grey');
    path.push(id);
    for (const dependency of byId.get(id)?.dependsOn ?? []) visit(dependency);
    path.pop();
    colour.set(id, 'black');
    order.push(id);
  };
  for (const node of nodes) visit(node.id);
  return order;
}

/** Runs a graph of tasks: each node starts as soon as its dependencies complete, in parallel up to the limits. */
export async function runDag(nodes: readonly DagNode[], options: DagOptions = {}): Promise<DagResult> {
  validateDag(nodes);
  const scheduler = options.scheduler ?? createScheduler({ concurrency: options.concurrency ?? 4 });
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const result: DagResult = { ok: false, outputs: {}, errors: {}, skipped: [], completionOrder: [] };
  const remaining = new Map(nodes.map((node) => [node.id, new Set(node.dependsOn ?? [])]));
  const dependents = new Map<string, string[]>();
  for (const node of nodes)
    for (const dependency of node.dependsOn ?? [])
      dependents.set(dependency, [...(dependents.get(dependency) ?? []), node.id]);
  const byId = new Map(nodes.map((node) => [node.id, node]));
  let pending = nodes.length;

  await new Promise<void>((resolve) => {
    if (pending === 0) return resolve();
    const finish = () => {
      pending--;
      if (pending === 0) resolve();
    };
    const skip = (id: string) => {
      if (!remaining.has(id)) return;
      remaining.delete(id);
      result.skipped.push(id);
      finish();
      for (const next of dependents.get(id) ?? []) skip(next);
    };
    const start = (node: DagNode) => {
      remaining.delete(node.id);
      const maxRetries = maxRetriesOf(node);
      const inputs: Record<string, unknown> = {};
      for (const dependency of node.dependsOn ?? []) inputs[dependency] = result.outputs[dependency];
      const handle = scheduler.schedule({
        id: node.id,
        name: node.id,
        input: inputs,
        run: (value, context) => node.run(value, context),
        signal: controller.signal,
        ...(node.priority === undefined ? {} : { priority: node.priority }),
        ...(node.group === undefined ? {} : { group: node.group }),
        ...(maxRetries === undefined ? {} : { maxRetries }),
        ...(node.backoff === undefined ? {} : { backoff: node.backoff }),
        ...(node.timeoutMs === undefined ? {} : { timeoutMs: node.timeoutMs }),
      });
      handle.result.then(
        (output) => {
          result.outputs[node.id] = output;
          result.completionOrder.push(node.id);
          for (const next of dependents.get(node.id) ?? []) {
            const waiting = remaining.get(next);
            if (waiting === undefined) continue;
            waiting.delete(node.id);
            if (waiting.size === 0) start(byId.get(next) as DagNode);
          }
          finish();
        },
        (error: unknown) => {
          result.errors[node.id] = AgenticGenError.isInstance(error)
            ? error
            : new AgenticGenError('task-failed', `[orchestration] node "${node.id}" failed`, { cause: error });
          for (const next of dependents.get(node.id) ?? []) skip(next);
          if (options.failFast) {
            controller.abort(
              new AgenticGenError('aborted', `[orchestration] node "${node.id}" failed and failFast is set`),
            );
            for (const id of [...remaining.keys()]) skip(id);
          }
          finish();
        },
      );
    };
    if (controller.signal.aborted) {
      for (const id of [...remaining.keys()]) skip(id);
      return;
    }
    controller.signal.addEventListener(
      'abort',
      () => {
        for (const id of [...remaining.keys()]) skip(id);
      },
      { once: true },
    );
    for (const node of nodes) if ((node.dependsOn ?? []).length === 0) start(node);
  });

  options.signal?.removeEventListener('abort', onAbort);
  if (options.scheduler === undefined) scheduler.dispose();
  result.ok = Object.keys(result.errors).length === 0 && result.skipped.length === 0;
  return result;
}
