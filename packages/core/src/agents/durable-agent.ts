/**
 * Durable agent runs on any `RunStore`: a checkpoint after the model plans tool calls and after each step, an
 * idempotency ledger around every tool call, and `resume(runId)` that continues a run from its last checkpoint
 * in any process. A tool step whose calls all have their outcome in the ledger is checkpointed by the planned
 * calls and the ledger together (resuming replays the outcomes): it writes no checkpoint of its own.
 * Exactly-once rules (docs/store.md):
 * - a call recorded `completed` in the ledger is replayed from its recorded output, never called again;
 * - a call recorded `started` without an outcome (the process died during it) is called again with the same
 *   `context.idempotencyKey` when the tool is idempotent (the default), and is reported for a decision when the
 *   tool says `idempotent: false`.
 */
import type { ChatMessage } from '../contracts/chat-model.js';
import type { RunCheckpoint, RunStore, RunSuspension } from '../contracts/run-store.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { idempotencyKeyOf } from '../storage/store-input.js';
import type { ToolOutcome } from '../tools/execute-tool.js';
import type { Agent, AgentInput, AgentRunWithEventsOptions } from './create-agent.js';
import { freshToolSuspensions, loadToolSuspensions, type ToolSuspensions } from './durable-suspensions.js';
import type { AgentCheckpointState } from './loop-state.js';
import { checkpointStateOf, type RunDurability } from './run-durability.js';
import type { AgentResult } from './types.js';

/** A call whose outcome a crash left unknown, awaiting a decision. */
export interface UnknownOutcomeCall {
  /** The model's call id. */
  toolCallId: string;
  /** The tool's name. */
  toolName: string;
  /** The ledger key (`<runId>:<toolCallId>`): look it up in the external system to decide. */
  idempotencyKey: string;
}

/** How to settle a call with an unknown outcome. */
export type UnknownOutcomeDecision =
  /** Call the tool again (it did not happen). */
  | { action: 'retry' }
  /** It happened: record `output` as its result and go on without calling it. */
  | { action: 'assume-done'; output: unknown };

/**
 * What a durable run returns: the agent's result; the calls a person must decide on before it can go on; or
 * the suspensions (from tools calling `suspend`) whose payloads it waits for.
 */
export type DurableRunResult =
  | AgentResult
  | { status: 'decision-required'; runId: string; calls: UnknownOutcomeCall[] }
  | { status: 'input-required'; runId: string; suspensions: RunSuspension[] };

export interface DurableRunOptions extends Omit<AgentRunWithEventsOptions, 'durability'> {
  /** The run's id (default: a random UUID). Reusing the id of an existing run is a `conflict` error. */
  runId?: string;
}

export interface DurableResumeOptions extends Omit<AgentRunWithEventsOptions, 'durability' | 'conversationId'> {
  /** Decisions on the calls a previous attempt reported, by `toolCallId`. */
  decisions?: Readonly<Record<string, UnknownOutcomeDecision>>;
  /**
   * Payloads for the run's pending suspensions, by `suspensionId` (from the `input-required` result). Each is
   * checked against the schema its tool suspended with; an invalid one is an `invalid-argument` error and the run
   * stays suspended. An id that is not pending is `not-found`.
   */
  payloads?: Readonly<Record<string, unknown>>;
}

export interface DurableAgent {
  /** The wrapped agent. */
  readonly agent: Agent;
  /** Starts a run that survives crashes; its id is `result.runId`. */
  run(input: AgentInput, options?: DurableRunOptions): Promise<DurableRunResult>;
  /** Continues a run from its last checkpoint (after a crash, in any process); a completed run returns its result. */
  resume(runId: string, options?: DurableResumeOptions): Promise<DurableRunResult>;
  /** Runs of this agent that have not finished (to resume after a restart), oldest first. */
  unfinished(limit?: number): Promise<RunCheckpoint[]>;
}

/** The checkpoint `state` of a run before its first step: what it needs to start again. */
interface StartState {
  phase: 'input';
  input: AgentInput;
  conversationId?: string;
}

interface FinishedState {
  phase: 'finished';
  result: AgentResult;
}

type StoredState = StartState | AgentCheckpointState | FinishedState;

const kind = 'agent';

/** Whether every call of a step has its outcome in the ledger. */
const outcomesRecorded = (calls: readonly { toolCallId: string }[] | undefined, recorded: ReadonlySet<string>) =>
  calls !== undefined && calls.length > 0 && calls.every((call) => recorded.has(call.toolCallId));
const noPayloads: Readonly<Record<string, unknown>> = Object.freeze({});
const done: Promise<void> = Promise.resolve();

/** Wraps an agent so its runs checkpoint to `store` and resume after a crash. */
export function createDurableAgent(agent: Agent, options: { store: RunStore }): DurableAgent {
  const { store } = options;
  const name = agent.name;

  const unknownOutcome = (runId: string, call: { toolCallId: string; toolName: string }) =>
    new AgenticGenError(
      'tool-outcome-unknown',
      `[agents] run ${runId.slice(0, 100)}: "${call.toolName}" (call ${call.toolCallId.slice(0, 100)}) started before a crash and is not idempotent; decide with resume(runId, { decisions })`,
      { data: { runId, toolCallId: call.toolCallId, toolName: call.toolName } },
    );

  const durabilityFor = (
    recorded: Set<string>,
    runId: string,
    restore: AgentCheckpointState | undefined,
    decisions: Readonly<Record<string, UnknownOutcomeDecision>>,
    unknown: UnknownOutcomeCall[],
    progress: { step: number },
    suspensions: ToolSuspensions,
  ): RunDurability => ({
    runId,
    ...(restore === undefined ? {} : { restore }),
    suspender: (toolCallId) => suspensions.suspender(toolCallId),
    afterToolCalls: () => suspensions.afterToolCalls(),
    checkpoint(state, phase) {
      // After a tool step whose every call has its outcome in the ledger, the checkpoint of the planned calls
      // already holds the step: resuming from it replays the recorded outcomes without calling a tool again
      // and arrives at the same state. A call without a recorded outcome (one that never went through the
      // ledger, or was cancelled) still gets the step's own checkpoint.
      if (phase === 'step-completed' && outcomesRecorded(state.steps[state.steps.length - 1]?.toolCalls, recorded)) {
        return done;
      }
      progress.step = state.step;
      return store.saveCheckpoint({
        runId,
        kind,
        name,
        status: 'running',
        step: state.step,
        state: checkpointStateOf(state, phase),
      });
    },
    async callTool(call, execute) {
      const key = idempotencyKeyOf(runId, call.toolCallId);
      if (call.idempotent) {
        // One store call: beginCall returns the entry as it was, and leaves a completed one untouched.
        const before = await store.beginCall(key, call.toolName);
        if (before?.status === 'completed') {
          recorded.add(call.toolCallId);
          return before.output as ToolOutcome;
        }
      } else {
        // Read first: a started call of a non-idempotent tool must not count as started again before a decision.
        const entry = await store.getCall(key);
        if (entry?.status === 'completed') {
          recorded.add(call.toolCallId);
          return entry.output as ToolOutcome;
        }
        // A call that suspended stopped at its `suspend`: running it again is the resume, not a blind repeat.
        if (entry?.status === 'started' && !suspensions.suspendedBefore(call.toolCallId)) {
          const decision = decisions[call.toolCallId];
          if (decision === undefined) {
            unknown.push({ toolCallId: call.toolCallId, toolName: call.toolName, idempotencyKey: key });
            throw unknownOutcome(runId, call);
          }
          if (decision.action === 'assume-done') {
            const outcome: ToolOutcome = { ok: true, output: decision.output, durationMs: 0 };
            await store.completeCall(key, { output: outcome, isError: false });
            recorded.add(call.toolCallId);
            return outcome;
          }
        }
        await store.beginCall(key, call.toolName);
      }
      const outcome = await execute(key);
      // A cancelled call may or may not have had its effect: it stays `started` (outcome unknown), like a crash.
      if (!outcome.ok && outcome.error.code === 'aborted') return outcome;
      // A suspended call has no outcome yet: it runs again when the run is resumed with its payload.
      if (suspensions.stoppedIn(call.toolCallId)) return outcome;
      await store.completeCall(key, { output: outcome, isError: !outcome.ok });
      recorded.add(call.toolCallId);
      return outcome;
    },
  });

  const drive = async (
    runId: string,
    input: AgentInput,
    runOptions: AgentRunWithEventsOptions,
    restore: AgentCheckpointState | undefined,
    decisions: Readonly<Record<string, UnknownOutcomeDecision>>,
    payloads: Readonly<Record<string, unknown>> = noPayloads,
  ): Promise<DurableRunResult> => {
    const unknown: UnknownOutcomeCall[] = [];
    // The last saved step, tracked here so finishing needs no read of the checkpoint back.
    const progress = { step: restore?.step ?? 0 };
    // A new run has no suspensions yet: it skips the read (one store call of a short run).
    const fresh = restore === undefined && payloads === noPayloads;
    const suspensions = fresh ? freshToolSuspensions(store, runId) : await loadToolSuspensions(store, runId, payloads);
    // Calls of this attempt whose outcome is in the ledger (run and recorded, or replayed from it).
    const recorded = new Set<string>();
    const durability = durabilityFor(recorded, runId, restore, decisions, unknown, progress, suspensions);
    let result: AgentResult;
    try {
      result = await agent.run(input, { ...runOptions, durability });
    } catch (error) {
      // Parallel calls may report several unknown outcomes; the run waits for a decision on all of them.
      if (unknown.length > 0 && AgenticGenError.hasCode(error, 'tool-outcome-unknown')) {
        return { status: 'decision-required', runId, calls: unknown };
      }
      if (suspensions.stopped) {
        // The checkpoint of the planned calls stays the resume point; only its status changes.
        const planned = await store.loadCheckpoint(runId);
        if (planned !== undefined) {
          const { updatedAt: _, ...checkpoint } = planned;
          await store.saveCheckpoint({ ...checkpoint, status: 'suspended' });
        }
        if (suspensions.invalidPayload !== undefined) throw suspensions.invalidPayload;
        return {
          status: 'input-required',
          runId,
          suspensions: await store.listSuspensions({ runId, status: 'pending' }),
        };
      }
      throw error;
    }
    const finished: FinishedState = { phase: 'finished', result };
    await store.saveCheckpoint({
      runId,
      kind,
      name,
      status: result.status === 'suspended' ? 'suspended' : 'completed',
      step: Math.max(progress.step, result.steps.length),
      state: finished,
    });
    return result;
  };

  return {
    agent,
    async run(input, runOptions = {}) {
      const { runId: requested, ...rest } = runOptions;
      const runId = requested ?? crypto.randomUUID();
      // Only an id the caller chose can name an existing run: a fresh random UUID skips the read.
      if (requested !== undefined && (await store.loadCheckpoint(runId)) !== undefined) {
        throw new AgenticGenError(
          'conflict',
          `[agents] run ${runId.slice(0, 100)} already exists; continue it with resume(runId)`,
        );
      }
      const start: StartState = { phase: 'input', input };
      if (rest.conversationId !== undefined) start.conversationId = rest.conversationId;
      await store.saveCheckpoint({ runId, kind, name, status: 'running', step: 0, state: start });
      return drive(runId, input, rest, undefined, {});
    },
    async resume(runId, resumeOptions = {}) {
      const { decisions = {}, payloads = {}, ...rest } = resumeOptions;
      const checkpoint = await store.loadCheckpoint(runId);
      if (checkpoint === undefined) {
        throw new AgenticGenError('not-found', `[agents] no durable run ${runId.slice(0, 100)} in the store`);
      }
      if (checkpoint.name !== name || checkpoint.kind !== kind) {
        throw new AgenticGenError(
          'conflict',
          `[agents] run ${runId.slice(0, 100)} belongs to ${checkpoint.kind} "${checkpoint.name.slice(0, 100)}", not agent "${name}"`,
        );
      }
      const state = checkpoint.state as StoredState;
      if (state.phase === 'finished') return state.result;
      const pending = await store.listSuspensions({ runId, status: 'pending' });
      const unknownId = Object.keys(payloads).find((id) => !pending.some((entry) => entry.suspensionId === id));
      if (unknownId !== undefined) {
        throw new AgenticGenError(
          'not-found',
          `[agents] run ${runId.slice(0, 100)} has no pending suspension "${unknownId.slice(0, 100)}"`,
        );
      }
      // Without a payload for every pending suspension, running again would only stop at the same place.
      if (pending.some((entry) => !Object.hasOwn(payloads, entry.suspensionId))) {
        return { status: 'input-required', runId, suspensions: pending };
      }
      if (state.phase === 'input') {
        const runOptions: AgentRunWithEventsOptions = { ...rest };
        if (state.conversationId !== undefined) runOptions.conversationId = state.conversationId;
        return drive(runId, state.input, runOptions, undefined, decisions, payloads);
      }
      // The input is not read when continuing from a checkpoint; the agent rebuilds nothing from it.
      const placeholder: ChatMessage[] = [{ role: 'user', content: '' }];
      return drive(runId, placeholder, rest, state, decisions, payloads);
    },
    unfinished: (limit = 100) =>
      store.listRuns({ status: 'running', kind, limit }).then((runs) => runs.filter((run) => run.name === name)),
  };
}
