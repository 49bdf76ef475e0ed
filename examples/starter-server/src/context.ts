import type { ChatMessage } from '@agenticgen/core';
import type { AgentService } from './agents/agent-service.ts';
import type { ChatRuns } from './chat/chat-runs.ts';
import type { ServerConfig } from './config.ts';
import type { Connection } from './gateway/connection.ts';
import type { Gateway } from './gateway/gateway.ts';
import type { ChatTurn } from './gateway/messages.ts';
import type { AuthThrottle } from './limits/auth-throttle.ts';
import type { RunLimiter } from './limits/run-limiter.ts';
import { runOwner, serverOwner } from './limits/run-owner.ts';
import type { Logger } from './log.ts';
import type { RunQueue, RunSpec } from './runs/redis-run-queue.ts';
import { redisUnavailable } from './runs/redis-unavailable.ts';
import type { RunEvent, RunExecutor, RunManager, StartedRun } from './runs/run-manager.ts';
import type { Services } from './services/types.ts';

/** What route handlers and the gateway share. */
export interface AppContext {
  config: ServerConfig;
  services: Services;
  runs: RunManager;
  gateway: Gateway;
  agents: AgentService;
  /** The UI chat's durable runs: threads, checkpoints and approvals in the store. */
  chatRuns: ChatRuns;
  log: Logger;
  /** Runs in flight per token. */
  runLimiter: RunLimiter;
  /** Failed authentications per client address (HTTP and WebSocket). */
  authThrottle: AuthThrottle;
  /** The key of a presented token (`token-0`, …), or undefined when it is not one of the configured tokens. */
  identifyToken: (token: string | undefined | null) => string | undefined;
  /** The MCP endpoint's sessions, closed at shutdown (set when `/mcp` is registered). */
  mcp?: { close(): Promise<void> };
  /** With Redis: chat and collaboration runs go through the shared queue (see runs/redis-run-queue.ts). */
  runQueue?: RunQueue | undefined;
}

export interface RunTarget {
  /** Receives every event of the run (the client that started it). */
  onEvent: (event: RunEvent) => void;
  /** Also stream every event to this room. */
  room?: string | undefined;
  /** A room member that already gets the events directly (the requester), skipped by the room broadcast. */
  except?: Connection;
  /** Cancels the run (the HTTP client went away). */
  signal?: AbortSignal;
  /** The token the run is for: counted against its run limit, and its sandbox calls queue under it. */
  owner?: string | undefined;
}

/** Starts a run whose events go to the requester and, when asked, to a room. */
export function startRun(context: AppContext, kind: string, executor: RunExecutor, target: RunTarget): StartedRun {
  const { hub } = context.gateway;
  const room = target.room;
  const onEvent = (event: RunEvent) => {
    target.onEvent(event);
    if (room !== undefined) {
      hub.broadcast(
        room,
        { type: 'run-event', room, event },
        target.except === undefined ? {} : { except: target.except },
      );
    }
  };
  const runsCounter = context.services.meter.counter('agenticgen_server_runs_total', {
    description: 'Runs started, by kind',
    labelNames: ['kind'],
  });
  const owner = target.owner ?? serverOwner;
  // Refused before the run exists, so the client gets a plain `rate-limit` error and no run-start.
  const release = context.runLimiter.acquire(owner);
  let run: StartedRun;
  try {
    run = context.runs.start(
      kind,
      (runContext) => runOwner.run(owner, () => executor(runContext)),
      onEvent,
      target.signal,
    );
  } catch (error) {
    release();
    throw error;
  }
  runsCounter.add(1, { kind });
  void run.done.then(release);
  return run;
}

/**
 * Throws `unavailable` when runs go through the Redis queue and Redis is down, so a new run is refused with a
 * plain 503 before any stream opens instead of failing (or waiting) inside it.
 */
export function requireRunQueue(context: AppContext): void {
  if (context.runQueue !== undefined && !context.runQueue.available) {
    throw redisUnavailable('(the run queue is shared through it)');
  }
}

/** A chat turn: the assistant agent (the configured model with every tool), streaming. */
export function startChatRun(context: AppContext, turns: readonly ChatTurn[], target: RunTarget): StartedRun {
  requireRunQueue(context);
  return startRun(context, 'chat', specExecutor(context, { kind: 'chat', turns }), target);
}

/** Runs a spec on this instance. */
export async function executeSpec(
  context: AppContext,
  spec: RunSpec,
  { signal, emit }: { signal: AbortSignal; emit: (event: RunEvent) => void },
): Promise<unknown> {
  if (spec.kind === 'collaboration') return context.agents.collaborate(spec.task, { signal, emit });
  // Tokens, latency and tool durations are recorded by the metrics plugin from the runtime's events.
  const result = await context.agents.run('assistant', toChatMessages(spec.turns), { signal, emit });
  return { text: result.text, model: context.services.model.label, steps: result.steps, usage: result.usage };
}

/** The executor of a spec: through the shared Redis queue when there is one, here otherwise. */
export function specExecutor(context: AppContext, spec: RunSpec): RunExecutor {
  return ({ runId, signal, emit }) =>
    context.runQueue === undefined
      ? executeSpec(context, spec, { signal, emit })
      : context.runQueue.submit(runId, spec, { signal, emit });
}

export function toChatMessages(turns: readonly ChatTurn[]): ChatMessage[] {
  return turns.map((turn) => ({ role: turn.role, content: turn.content }) as ChatMessage);
}
