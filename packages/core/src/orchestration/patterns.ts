import type { Agent, AgentInput } from '../agents/create-agent.js';
import type { AgentResult, AgentRunOptions } from '../agents/types.js';
import { throwIfAborted } from '../errors/abort.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { createScheduler, type Scheduler } from './scheduler.js';
import type { Task } from './task.js';

/** A pipeline stage or parallel branch: an agent (text in, text out) or a function. */
export type PatternWorker<I = unknown, O = unknown> =
  | Agent
  | { name: string; run(input: I, context: { signal: AbortSignal }): Promise<O> | O };

/** What one stage or branch produced. */
export interface WorkerOutcome {
  /** The worker's name. */
  name: string;
  /** Its output (the agent's final text for agents). */
  output: unknown;
  /** The full agent result, for agents. */
  result?: AgentResult;
  /** Wall time in ms. */
  durationMs: number;
}

function isAgent(worker: PatternWorker): worker is Agent {
  return 'stream' in worker && 'resume' in worker && 'tools' in worker;
}

async function runWorker(worker: PatternWorker, input: unknown, signal: AbortSignal): Promise<WorkerOutcome> {
  const started = performance.now();
  if (isAgent(worker)) {
    const text = typeof input === 'string' ? input : JSON.stringify(input);
    const result = await worker.run(text, { signal });
    if (result.status === 'suspended') {
      throw new AgenticGenError(
        'unsupported',
        `[orchestration] agent "${worker.name}" suspended for approval inside a pattern; run it directly to handle approvals`,
      );
    }
    return { name: worker.name, output: result.text, result, durationMs: performance.now() - started };
  }
  const output = await worker.run(input, { signal });
  return { name: worker.name, output, durationMs: performance.now() - started };
}

export interface PipelineOptions {
  /** Cancels the pipeline. */
  signal?: AbortSignal;
  /** Called after each stage (for progress UIs). */
  onStage?: (outcome: WorkerOutcome, index: number) => void;
}

/** Runs stages in order, each getting the previous stage's output; returns the last output and every stage's. */
export async function runPipeline(
  stages: readonly PatternWorker[],
  input: unknown,
  options: PipelineOptions = {},
): Promise<{ output: unknown; stages: WorkerOutcome[] }> {
  if (stages.length === 0)
    throw new AgenticGenError('invalid-argument', '[orchestration] a pipeline needs at least one stage');
  const signal = options.signal ?? new AbortController().signal;
  const outcomes: WorkerOutcome[] = [];
  let current = input;
  for (const [index, stage] of stages.entries()) {
    throwIfAborted(signal, 'orchestration');
    let outcome: WorkerOutcome;
    try {
      outcome = await runWorker(stage, current, signal);
    } catch (error) {
      throw new AgenticGenError(
        AgenticGenError.isInstance(error) ? error.code : 'task-failed',
        `[orchestration] pipeline stage ${index + 1} ("${stage.name}") failed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error, data: { stage: index, name: stage.name } },
      );
    }
    outcomes.push(outcome);
    options.onStage?.(outcome, index);
    current = outcome.output;
  }
  return { output: current, stages: outcomes };
}

export interface ParallelOptions<T> {
  /** Branches running at once (default: all). Ignored when `scheduler` is given. */
  concurrency?: number;
  /** Run the branches as tasks of this scheduler (sharing its limits with other work). */
  scheduler?: Scheduler;
  /** Cancels every branch. */
  signal?: AbortSignal;
  /** `all` (default): the first failure rejects and cancels the rest; `settled`: failures are reported per branch. */
  mode?: 'all' | 'settled';
  /** Fan-in: combines the branch outcomes (in branch order) into one value. */
  combine?: (outcomes: WorkerOutcome[]) => Promise<T> | T;
}

/** Fan-out/fan-in: gives the same input to every branch concurrently, then combines the outputs. */
export async function runParallel<T = WorkerOutcome[]>(
  branches: readonly PatternWorker[],
  input: unknown,
  options: ParallelOptions<T> = {},
): Promise<{ output: T; branches: Array<WorkerOutcome | { name: string; error: AgenticGenError }> }> {
  if (branches.length === 0)
    throw new AgenticGenError('invalid-argument', '[orchestration] runParallel needs at least one branch');
  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const scheduler = options.scheduler ?? createScheduler({ concurrency: options.concurrency ?? branches.length });
  try {
    const handles = branches.map((branch, index) =>
      scheduler.schedule({
        name: `branch ${index + 1} (${branch.name})`,
        input,
        signal: controller.signal,
        run: (value, context) => runWorker(branch, value, context.signal),
      }),
    );
    const settled = await Promise.allSettled(
      handles.map((handle) =>
        handle.result.catch((error: unknown) => {
          // In `all` mode the first failure cancels the siblings.
          if (options.mode !== 'settled') controller.abort(error);
          throw error;
        }),
      ),
    );
    const outcomes = settled.map((entry, index) =>
      entry.status === 'fulfilled'
        ? entry.value
        : { name: branches[index]?.name ?? `${index}`, error: toError(entry.reason) },
    );
    if (options.mode !== 'settled') {
      const failed = settled.findIndex(
        (entry) => entry.status === 'rejected' && !isCancellation(entry.reason, controller),
      );
      const first = failed === -1 ? settled.find((entry) => entry.status === 'rejected') : settled[failed];
      if (first?.status === 'rejected') throw toError(first.reason);
    }
    const successes = outcomes.filter((entry): entry is WorkerOutcome => !('error' in entry));
    const output = options.combine === undefined ? (successes as T) : await options.combine(successes);
    return { output, branches: outcomes };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    if (options.scheduler === undefined) scheduler.dispose();
  }
}

function isCancellation(reason: unknown, controller: AbortController): boolean {
  return controller.signal.aborted && AgenticGenError.hasCode(reason, 'aborted');
}

function toError(reason: unknown): AgenticGenError {
  return AgenticGenError.isInstance(reason)
    ? reason
    : new AgenticGenError(
        'task-failed',
        `[orchestration] ${reason instanceof Error ? reason.message : String(reason)}`,
        { cause: reason },
      );
}

/**
 * A scheduler task that runs `agent` on `input`, in the concurrency group named after the agent, so
 * `groupConcurrency: { [agent.name]: n }` limits that agent across all the work of a scheduler. The run gets
 * the task's signal (cancellation, timeouts and deadlines stop the agent).
 */
export function createAgentTask(
  agent: Agent,
  input: AgentInput,
  options: Omit<Task<AgentInput, AgentResult>, 'run' | 'input' | 'group'> & { runOptions?: AgentRunOptions } = {},
): Task<AgentInput, AgentResult> {
  const { runOptions, ...task } = options;
  return {
    name: agent.name,
    ...task,
    input,
    group: agent.name,
    run: (value, context) =>
      agent.run(value, {
        ...runOptions,
        signal:
          runOptions?.signal === undefined ? context.signal : AbortSignal.any([runOptions.signal, context.signal]),
      }),
  };
}

/** @deprecated Use `createAgentTask` (factories are named `create*`); this alias is removed in the next minor release. */
export const agentTask = createAgentTask;
