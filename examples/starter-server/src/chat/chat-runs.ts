/**
 * The chat's agent runs, durable in the store: each answer is a `createDurableAgent` run (checkpoint after each
 * step, idempotency ledger around tools), its messages go to the chat's thread, and a run suspended for tool
 * approval is kept in the store, so any instance (or this one after a restart) continues it. At start, runs
 * that a stopped process left unfinished are resumed from their last checkpoint.
 */
import {
  type Agent,
  type AgentEvent,
  AgenticGenError,
  type AgentResult,
  type AgentRunState,
  type AgentStore,
  type ApprovalDecision,
  type ChatMessage,
  createDurableAgent,
  type DurableRunResult,
  type StoredThread,
  streamRun,
} from '@agenticgen/core';
import type { Logger } from '../log.ts';
import { chatStateOf, openChatThread, recordRunMessages, setActiveRun, threadIdOf } from './chat-threads.ts';

/** An answer being produced for a chat. */
export interface ChatRunStream {
  owner: string;
  chatId: string;
  events: AsyncIterable<AgentEvent>;
}

export interface ChatRuns {
  /** Answers a new user message (the last of `messages`, appended to the thread first). */
  start(request: { agent: Agent; owner: string; chatId: string; messages: ChatMessage[] }): Promise<ChatRunStream>;
  /**
   * Continues the chat's run suspended for approval. Refused with `conflict` when the approvals were answered
   * already (here or on another instance), `not-found` when the chat has no such run.
   */
  resumeApproval(request: {
    agent: Agent;
    owner: string;
    chatId: string;
    runId: string;
    approvals: Readonly<Record<string, ApprovalDecision>>;
  }): Promise<ChatRunStream>;
  /** The chat runs a stopped process left unfinished, each continued from its last checkpoint (claimed once). */
  resumeInterrupted(): Promise<ChatRunStream[]>;
  /**
   * Shutdown: stops the runs in flight without ending them, so the next start resumes them; resolves when they
   * have stopped (their last checkpoint written).
   */
  interrupt(): Promise<void>;
}

const runKind = 'agent';

export function createChatRuns(options: {
  store: AgentStore;
  agents: { get(name: string): Agent | undefined };
  log: Logger;
}): ChatRuns {
  const { store, agents, log } = options;
  const active = new Map<AbortController, Promise<unknown>>();
  let interrupting = false;

  /** What a run's end means for its thread and checkpoints. */
  const settle = async (
    thread: StoredThread,
    runId: string,
    inputLength: number,
    outcome: DurableRunResult,
    approvalResume: boolean,
  ) => {
    if ('calls' in outcome) {
      // A tool without idempotency died mid-call in a crash: the run waits for an operator (docs/store.md).
      log('warn', 'chat run needs a decision on a tool call with an unknown outcome', {
        runId,
        calls: outcome.calls.length,
      });
      return;
    }
    if ('suspensions' in outcome) {
      // A tool called `suspend()` (none of the starter's tools do): the run waits in the store for its payload.
      log('warn', 'chat run waits for input a tool asked for', { runId, suspensions: outcome.suspensions.length });
      return;
    }
    await recordRunMessages(store, thread.id, runId, outcome.messages.slice(inputLength), outcome.usage.totalTokens);
    if (approvalResume) await saveFinished(runId, outcome);
    if (outcome.status === 'suspended' && outcome.state !== undefined) {
      const suspensionId = `approval-${outcome.state.step}`;
      await store.saveNodeResult(runId, suspensionId, outcome.state);
      await store.saveSuspension({ runId, suspensionId, reason: 'tool approval' });
      return;
    }
    await setActiveRun(store, thread, undefined);
  };

  /** The same final checkpoint `createDurableAgent` writes, for a run continued after an approval. */
  const saveFinished = async (runId: string, result: AgentResult) => {
    const last = await store.loadCheckpoint(runId);
    await store.saveCheckpoint({
      runId,
      kind: runKind,
      name: last?.name ?? '',
      status: result.status === 'suspended' ? 'suspended' : 'completed',
      step: Math.max(last?.step ?? 0, result.steps.length),
      state: { phase: 'finished', result },
    });
  };

  const markFailed = async (runId: string) => {
    const last = await store.loadCheckpoint(runId);
    if (last === undefined || last.status !== 'running') return;
    const { updatedAt: _, ...checkpoint } = last;
    await store.saveCheckpoint({ ...checkpoint, status: 'failed' });
  };

  /** Runs `launch` with a controller the shutdown can abort, and settles the thread when it ends. */
  const track = (
    thread: StoredThread,
    runId: string,
    inputLength: number,
    approvalResume: boolean,
    launch: (emit: (event: AgentEvent) => void, signal: AbortSignal) => Promise<DurableRunResult>,
  ): ChatRunStream => {
    const controller = new AbortController();
    const { owner, chatId } = chatStateOf(thread);
    // Core's bridge from the push-style run to the event iterable the UI stream reads; closing it early (the
    // answer was cancelled) stops the run.
    const events = streamRun((emit, closed) => {
      closed.addEventListener(
        'abort',
        () => controller.abort(new AgenticGenError('aborted', '[server] the answer was stopped')),
        { once: true },
      );
      const running = run(emit);
      active.set(
        controller,
        running.catch(() => undefined),
      );
      return running;
    });
    async function run(emit: (event: AgentEvent) => void) {
      try {
        // The answer ends for the page (run-finish becomes `finish`) only once the thread holds it, so a page
        // that reloads right after the end finds it there.
        let finished: AgentEvent | undefined;
        const outcome = await launch((event) => {
          if (event.type === 'run-finish') finished = event;
          else emit(event);
        }, controller.signal);
        await settle(thread, runId, inputLength, outcome, approvalResume);
        if (finished !== undefined) emit(finished);
        if ('calls' in outcome)
          throw new AgenticGenError(
            'tool-outcome-unknown',
            '[server] a tool call of this answer has an unknown outcome after a crash; an operator must decide',
          );
      } catch (error) {
        // Interrupted by a shutdown: the checkpoint stays `running` and the next start resumes it; so does a run
        // waiting for an operator's decision on a tool call (resumed with `decisions` by createDurableAgent).
        if (!interrupting && !AgenticGenError.hasCode(error, 'tool-outcome-unknown')) {
          log('warn', 'chat: an answer failed', { runId, error: String(error).slice(0, 300) });
          await markFailed(runId).catch(() => undefined);
          await setActiveRun(store, thread, undefined).catch(() => undefined);
        }
        throw error;
      } finally {
        active.delete(controller);
      }
    }
    return { owner, chatId, events };
  };

  return {
    async start({ agent, owner, chatId, messages }) {
      const thread = await openChatThread(store, owner, chatId);
      const user = messages.at(-1);
      if (user !== undefined) await store.appendMessages(thread.id, [{ message: user }]);
      const runId = crypto.randomUUID();
      await setActiveRun(store, thread, { runId, inputLength: messages.length });
      const durable = createDurableAgent(agent, { store });
      return track(thread, runId, messages.length, false, (onEvent, signal) =>
        durable.run(messages, { runId, signal, onEvent }),
      );
    },

    async resumeApproval({ agent, owner, chatId, runId, approvals }) {
      const thread = await store.getThread(threadIdOf(owner, chatId));
      if (thread === undefined)
        throw new AgenticGenError('not-found', '[server] this chat has no run waiting for approval with that id');
      const state = chatStateOf(thread);
      if (state.activeRunId !== runId) {
        const ofThisChat = await store.listMessages(thread.id, { metadata: { runId }, limit: 1 });
        throw ofThisChat.items.length > 0
          ? new AgenticGenError('conflict', '[server] these tool approvals were answered already')
          : new AgenticGenError('not-found', '[server] this chat has no run waiting for approval with that id');
      }
      const pending = (await store.listSuspensions({ runId, status: 'pending' })).filter((suspension) =>
        suspension.suspensionId.startsWith('approval-'),
      );
      const suspension = pending.at(-1);
      // resolveSuspension is the atomic step: of two instances answering at once, one wins.
      if (suspension === undefined || !(await store.resolveSuspension(runId, suspension.suspensionId, approvals)))
        throw new AgenticGenError('conflict', '[server] these tool approvals were answered already');
      const saved = (await store.loadNodeResults(runId))[suspension.suspensionId] as AgentRunState;
      return track(thread, runId, state.runInputLength ?? 0, true, (onEvent, signal) =>
        agent.resume(saved, approvals, { signal, onEvent }),
      );
    },

    async resumeInterrupted() {
      const streams: ChatRunStream[] = [];
      for (const run of await store.listRuns({ status: 'running', kind: runKind, limit: 100 })) {
        const thread = (await store.listThreads({ metadata: { activeRunId: run.runId }, limit: 1 })).items[0];
        const agent = agents.get(run.name);
        if (thread === undefined || agent === undefined) {
          // No chat waits for it (a newer answer replaced it), or its agent was created at run time and is gone:
          // it cannot go on, and left `running` it would be listed again at every start.
          log('warn', 'chat: an interrupted run cannot be resumed', { runId: run.runId, agent: run.name.slice(0, 64) });
          await markFailed(run.runId);
          if (thread !== undefined) await setActiveRun(store, thread, undefined);
          continue;
        }
        try {
          // Claimed once: with PostgreSQL, instances restarting together do not both continue a run.
          await store.saveSuspension({ runId: run.runId, suspensionId: `restart-${run.updatedAt}`, reason: 'restart' });
          await store.resolveSuspension(run.runId, `restart-${run.updatedAt}`, null);
        } catch (error) {
          if (AgenticGenError.hasCode(error, 'already-exists')) continue;
          throw error;
        }
        log('info', 'chat: resuming a run interrupted by a restart', { runId: run.runId, step: run.step });
        const durable = createDurableAgent(agent, { store });
        streams.push(
          track(thread, run.runId, chatStateOf(thread).runInputLength ?? 0, false, (onEvent, signal) =>
            durable.resume(run.runId, { signal, onEvent }),
          ),
        );
      }
      return streams;
    },

    async interrupt() {
      interrupting = true;
      for (const controller of active.keys())
        controller.abort(new AgenticGenError('aborted', '[server] shutting down'));
      await Promise.all(active.values());
    },
  };
}
