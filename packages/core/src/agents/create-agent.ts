import { Type } from '@sinclair/typebox';
import type { ChatMessage, ToolCallPart } from '../contracts/chat-model.js';
import { combineSignals } from '../errors/abort.js';
import { AgenticGenError, toAgenticGenError } from '../errors/agenticgen-error.js';
import type { EventBus } from '../events/event-bus.js';
import type { RuntimeEvents } from '../events/runtime-events.js';
import { createBareRuntime } from '../plugins/bare-runtime.js';
import type { Runtime } from '../plugins/runtime.js';
import type { AnySchema, InferSchema } from '../structured/output-schema.js';
import { type AnyTool, defineTool } from '../tools/define-tool.js';
import { ToolRegistry } from '../tools/tool-registry.js';
import { resumeStep, runSteps, toolMessage } from './agent-loop.js';
import { planAgentOutput } from './agent-output.js';
import { startSpan } from './agent-telemetry.js';
import { continueFromCheckpoint } from './durable-run.js';
import { type AgentRun, streamRun } from './event-stream.js';
import { checkInput, guardrailError } from './guardrails.js';
import type { LoopState } from './loop-state.js';
import { createMemoryResumeTokenStore, resumeTokenOf } from './resume-tokens.js';
import type { ResolvedAgent, RunEnvironment } from './run-environment.js';
import { parseRunState } from './run-state.js';
import { runToolCalls } from './tool-calls.js';
import type {
  AgentEvent,
  AgentOptions,
  AgentResult,
  AgentRunOptions,
  AgentRunState,
  ApprovalDecision,
  StopCondition,
} from './types.js';

/** What a run starts from: a user message, or messages to append to the conversation. */
export type AgentInput = string | readonly ChatMessage[];

export interface AgentRunWithEventsOptions extends AgentRunOptions {
  /** Receives every event of the run as it happens. */
  onEvent?: (event: AgentEvent) => void;
}

export interface Agent<TOutput = unknown> {
  /** The agent's name. */
  readonly name: string;
  /** What it does (for supervisors and tools). */
  readonly description: string;
  /** Its options as given. */
  readonly options: Readonly<AgentOptions>;
  /** Its tools. */
  readonly tools: ToolRegistry;
  /** Runs to completion (or suspension) and returns the result. */
  run(input: AgentInput, options?: AgentRunWithEventsOptions): Promise<AgentResult<TOutput>>;
  /** Runs and streams events. */
  stream(input: AgentInput, options?: AgentRunOptions): AgentRun<TOutput>;
  /** Continues a suspended run; `decisions` maps each pending `toolCallId` to approval or denial. */
  resume(
    state: AgentRunState,
    decisions: Readonly<Record<string, ApprovalDecision>>,
    options?: AgentRunWithEventsOptions,
  ): Promise<AgentResult<TOutput>>;
  /** `resume` with streamed events. */
  resumeStream(
    state: AgentRunState,
    decisions: Readonly<Record<string, ApprovalDecision>>,
    options?: AgentRunOptions,
  ): AgentRun<TOutput>;
  /** This agent as a tool another agent can call with `{ input }`; it returns the final text. */
  asTool(options?: { name?: string; description?: string }): AnyTool;
}

const defaultMaxSteps = 20;

export interface CreateAgentOptions extends AgentOptions {
  /** Event bus that receives run, model-call and tool-call events (default: the runtime's, if any). */
  events?: EventBus<RuntimeEvents>;
  /**
   * Plugin runtime: model calls go through `runtime.stream` (model hooks, events, `chat` spans), tool calls
   * run the `beforeToolCall`/`afterToolCall` hooks, runs the `runStart`/`runEnd` hooks, and disposing the
   * runtime cancels runs in flight.
   */
  runtime?: Runtime;
}

/** Creates a tool-loop agent; with `output`, its results carry a typed, validated `output`. */
export function createAgent<S extends AnySchema>(
  options: Omit<CreateAgentOptions, 'output'> & { output: S },
): Agent<InferSchema<S>>;
export function createAgent(options: CreateAgentOptions): Agent;
export function createAgent(options: CreateAgentOptions): Agent {
  validateOptions(options);
  const stopConditions: StopCondition[] =
    options.stopWhen === undefined
      ? []
      : typeof options.stopWhen === 'function'
        ? [options.stopWhen]
        : [...options.stopWhen];
  const resolved: ResolvedAgent = {
    options,
    registry: new ToolRegistry(options.tools ?? []),
    stopConditions,
    maxSteps: options.maxSteps ?? defaultMaxSteps,
    events: options.events ?? options.runtime?.events,
    runtime: options.runtime,
    modelCalls: options.runtime ?? createBareRuntime(options.events),
    output: planAgentOutput(options),
  };
  const resumeTokens = options.resumeTokens ?? createMemoryResumeTokenStore();

  const start = (input: AgentInput, runOptions: AgentRunWithEventsOptions, emit: (event: AgentEvent) => void) =>
    execute(resolved, runOptions, emit, { resumed: false, input }, async (environment) => {
      const restore = runOptions.durability?.restore;
      if (restore !== undefined) return continueFromCheckpoint(environment, restore);
      const inputMessages: ChatMessage[] =
        typeof input === 'string' ? [{ role: 'user', content: input }] : structuredClone([...input]);
      if (inputMessages.length === 0) {
        throw new AgenticGenError(
          'invalid-argument',
          `[agents] agent "${options.name}" got no input; pass a string or messages`,
        );
      }
      const invalid = inputMessages.findIndex(
        (message) =>
          typeof message !== 'object' ||
          message === null ||
          !['system', 'user', 'assistant', 'tool'].includes(message.role) ||
          (typeof message.content !== 'string' && !Array.isArray(message.content)),
      );
      if (invalid !== -1) {
        throw new AgenticGenError(
          'invalid-argument',
          `[agents] input message ${invalid} of agent "${options.name}" is not a chat message; use { role: 'user' | 'assistant' | 'system' | 'tool', content }`,
        );
      }
      const instructions =
        typeof options.instructions === 'function' ? options.instructions(environment.values) : options.instructions;
      const history =
        runOptions.conversationId !== undefined && options.memory !== undefined
          ? await options.memory.load(runOptions.conversationId)
          : [];
      const messages: ChatMessage[] = [];
      if (instructions !== '') messages.push({ role: 'system', content: instructions });
      messages.push(...history);
      const state: LoopState = {
        runId: environment.runId,
        messages,
        inputStart: messages.length,
        step: 0,
        usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
        steps: [],
      };
      messages.push(...inputMessages);
      if (runOptions.conversationId !== undefined) state.conversationId = runOptions.conversationId;
      const inputGuardrails = options.guardrails?.input ?? [];
      if (inputGuardrails.length > 0) {
        const tripped = await checkInput(inputGuardrails, inputMessages, {
          agentName: options.name,
          messages,
          signal: environment.signal,
          values: environment.values,
        });
        if (tripped !== undefined) {
          environment.emit({
            type: 'guardrail-tripped',
            runId: state.runId,
            guardrail: tripped.name,
            kind: 'input',
            reason: tripped.reason,
          });
          throw guardrailError('input', tripped.name, tripped.reason, options.name);
        }
      }
      return runSteps(environment, state);
    });

  const continueRun = async (
    rawState: AgentRunState,
    decisions: Readonly<Record<string, ApprovalDecision>>,
    runOptions: AgentRunWithEventsOptions,
    emit: (event: AgentEvent) => void,
  ) => {
    const saved = parseRunState(rawState);
    if (saved.agentName !== options.name) {
      throw new AgenticGenError(
        'conflict',
        `[agents] this run state belongs to agent "${saved.agentName}", not "${options.name}"; resume it with that agent`,
      );
    }
    const missing = saved.pendingApprovals.filter((call) => decisions[call.toolCallId] === undefined);
    if (missing.length > 0) {
      throw new AgenticGenError(
        'invalid-argument',
        `[agents] no decision for pending tool call(s) ${missing.map((call) => `${call.toolCallId} (${call.toolName})`).join(', ')}; pass { approved: true } or { approved: false, reason } for each`,
        { data: { missing: missing.map((call) => call.toolCallId) } },
      );
    }
    // Consumed before anything runs: a second resume of this state must not run an approved tool again.
    if (!(await resumeTokens.consume(resumeTokenOf(saved)))) {
      throw new AgenticGenError(
        'conflict',
        `[agents] run ${saved.runId.slice(0, 100)} of agent "${saved.agentName.slice(0, 100)}" was already resumed from this state (step ${saved.step}); a suspended state is single-use`,
        { data: { runId: saved.runId, step: saved.step } },
      );
    }
    return execute(
      resolved,
      runOptions,
      emit,
      { resumed: true, input: decisions, runId: saved.runId },
      async (environment) => {
        const state: LoopState = {
          runId: saved.runId,
          messages: structuredClone(saved.messages),
          inputStart: saved.inputStart,
          step: saved.step,
          usage: saved.usage,
          steps: saved.steps,
        };
        if (saved.conversationId !== undefined) state.conversationId = saved.conversationId;
        const calls: ToolCallPart[] = saved.pendingApprovals.map((call) => ({ type: 'tool-call', ...call }));
        return resumeStep(environment, state, async (signal, stepSpan) => {
          const outcome = await runToolCalls(environment, state, calls, signal, stepSpan, decisions);
          const all = [...saved.completedToolCalls, ...outcome.records];
          const last = state.messages[state.messages.length - 1];
          const askedFor =
            last?.role === 'assistant' && Array.isArray(last.content)
              ? last.content.filter((part): part is ToolCallPart => part.type === 'tool-call')
              : calls;
          state.messages.push(toolMessage(askedFor, all));
          const step = state.steps[state.steps.length - 1];
          if (step !== undefined) {
            const order = new Map(askedFor.map((call, index) => [call.toolCallId, index]));
            step.toolCalls = all.sort((a, b) => (order.get(a.toolCallId) ?? 0) - (order.get(b.toolCallId) ?? 0));
            environment.emit({ type: 'step-finish', runId: state.runId, ...step });
          }
          return undefined;
        });
      },
    );
  };

  const agent: Agent = {
    name: options.name,
    description: options.description ?? '',
    options,
    tools: resolved.registry,
    run: (input, runOptions = {}) => start(input, runOptions, runOptions.onEvent ?? noop),
    stream: (input, runOptions = {}) => streamRun((emit, signal) => start(input, withSignal(runOptions, signal), emit)),
    resume: async (state, decisions, runOptions = {}) =>
      continueRun(state, decisions, runOptions, runOptions.onEvent ?? noop),
    resumeStream: (state, decisions, runOptions = {}) =>
      streamRun((emit, signal) => continueRun(state, decisions, withSignal(runOptions, signal), emit)),
    asTool(toolOptions = {}) {
      return defineTool({
        name: toolOptions.name ?? options.name,
        description:
          toolOptions.description ?? options.description ?? `Delegates a task to the agent "${options.name}".`,
        parameters: Type.Object({ input: Type.String({ description: 'The task or question for the agent.' }) }),
        timeoutMs: options.timeoutMs ?? 600_000,
        async execute({ input }, context) {
          const result = await agent.run(input, { signal: context.signal, values: context.values });
          if (result.status === 'suspended') {
            throw new AgenticGenError(
              'unsupported',
              `[agents] sub-agent "${options.name}" asked for approval of ${result.pendingApprovals.map((call) => call.toolName).join(', ')}; approval inside a sub-agent is not supported, give the approval tool to the parent`,
            );
          }
          return result.text;
        },
      });
    },
  };
  return agent;
}

function noop(): void {}

function withSignal(options: AgentRunOptions, signal: AbortSignal): AgentRunOptions {
  return { ...options, signal: options.signal === undefined ? signal : AbortSignal.any([options.signal, signal]) };
}

/** Shared run wrapper: signals, the run span, run events and error normalisation. */
async function execute(
  agent: ResolvedAgent,
  runOptions: AgentRunOptions,
  emit: (event: AgentEvent) => void,
  start: { resumed: boolean; input: unknown; runId?: string },
  body: (environment: RunEnvironment & { runId: string }) => Promise<AgentResult>,
): Promise<AgentResult> {
  const { options, events, runtime } = agent;
  const { resumed, input } = start;
  const runId = start.runId ?? runOptions.durability?.runId ?? randomId();
  const started = performance.now();
  const callerSignal =
    runtime === undefined
      ? runOptions.signal
      : runOptions.signal === undefined
        ? runtime.signal
        : AbortSignal.any([runOptions.signal, runtime.signal]);
  const guard = combineSignals(`agents ${options.name}`, callerSignal, runOptions.timeoutMs ?? options.timeoutMs);
  const span = startSpan(
    `invoke_agent ${options.name}`,
    {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': options.name,
      'gen_ai.agent.id': runId,
      'gen_ai.provider.name': options.model.provider,
      'gen_ai.request.model': options.model.modelId,
    },
    undefined,
  );
  const environment = {
    agent,
    signal: guard.signal,
    values: runOptions.values ?? {},
    emit,
    span,
    runId,
    durability: runOptions.durability,
  };
  emit({ type: 'run-start', runId, agentName: options.name, resumed });
  events?.emit('run-start', { runId, agentName: options.name, timestamp: Date.now() });
  try {
    if (runtime?.hooks.has('runStart')) {
      await runtime.hooks.run('runStart', { runId, agentName: options.name, input });
    }
    const result = await body(environment);
    const durationMs = performance.now() - started;
    if (runtime?.hooks.has('runEnd') && !runtime.disposed) {
      await runtime.hooks.run('runEnd', {
        runId,
        agentName: options.name,
        status: 'success',
        output: result.text,
        usage: result.usage,
        durationMs,
      });
    }
    span.end({
      'gen_ai.usage.input_tokens': result.usage.inputTokens,
      'gen_ai.usage.output_tokens': result.usage.outputTokens,
      'agenticgen.agent.status': result.status,
      'agenticgen.agent.steps': result.steps.length,
    });
    emit({ type: 'run-finish', runId, result, durationMs });
    events?.emit('run-finish', {
      runId,
      agentName: options.name,
      status: 'success',
      durationMs,
      usage: result.usage,
      steps: result.steps.length,
      timestamp: Date.now(),
    });
    return result;
  } catch (thrown) {
    const error = toAgenticGenError(thrown, 'internal', `agents ${options.name}`);
    const durationMs = performance.now() - started;
    span.fail(error);
    if (runtime?.hooks.has('runEnd') && !runtime.disposed) {
      const status = error.code === 'aborted' ? 'aborted' : 'error';
      // An observer's failure is reported by the runtime; it must not replace the run's own error.
      await runtime.hooks
        .run('runEnd', { runId, agentName: options.name, status, error, durationMs })
        .catch(() => undefined);
    }
    emit({ type: 'run-error', runId, error: error.toJSON(), durationMs });
    events?.emit('run-finish', {
      runId,
      agentName: options.name,
      status: error.code === 'aborted' ? 'aborted' : 'error',
      durationMs,
      errorCode: error.code,
      timestamp: Date.now(),
    });
    throw error;
  } finally {
    guard.dispose();
  }
}

function validateOptions(options: AgentOptions): void {
  const problems: string[] = [];
  if (typeof options?.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(options.name)) {
    problems.push('name must be 1–64 letters, digits, "_" or "-"');
  }
  if (typeof options?.model?.stream !== 'function') problems.push('model must implement the ChatModel contract');
  if (typeof options?.instructions !== 'string' && typeof options?.instructions !== 'function') {
    problems.push('instructions must be a string or a function');
  }
  for (const key of ['maxSteps', 'stepTimeoutMs', 'timeoutMs', 'contextBudgetTokens'] as const) {
    const value = options?.[key];
    if (value !== undefined && !(typeof value === 'number' && value > 0)) problems.push(`${key} must be a number > 0`);
  }
  if (problems.length > 0) {
    throw new AgenticGenError('invalid-config', `[agents] invalid agent options: ${problems.join('; ')}`, {
      data: { problems },
    });
  }
}

/** A random UUID; `crypto.randomUUID` needs a secure context, `getRandomValues` works on plain http pages too. */
function randomId(): string {
  if (typeof globalThis.crypto?.randomUUID === 'function') return globalThis.crypto.randomUUID();
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
