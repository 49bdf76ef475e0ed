import type { ChatMessage, ChatRequest, ChatResponse, ChatStreamPart, ToolCallPart } from '../contracts/chat-model.js';
import { combineSignals, raceWithSignal, throwIfAborted } from '../errors/abort.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { collectStream } from '../models/collect-stream.js';
import { addUsage } from '../models/usage.js';
import { streamThroughRuntime } from '../plugins/runtime-model-call.js';
import { invalidOutputError } from '../structured/structured-request.js';
import {
  type AgentOutputPlan,
  applyOutputPlan,
  checkAgentOutput,
  finalAnswerCall,
  outputRepairMessage,
} from './agent-output.js';
import { type SpanHandle, startSpan } from './agent-telemetry.js';
import { checkOutput, guardrailError } from './guardrails.js';
import type { LoopState } from './loop-state.js';
import { trimToBudget } from './memory.js';
import { guardrailContext, type RunEnvironment } from './run-environment.js';
import { runToolCalls } from './tool-calls.js';
import type { AgentResult, AgentRunState, StepResult } from './types.js';

/** Runs model steps until the model answers, a stop condition holds, the step limit is hit or tools need approval. */
export async function runSteps(environment: RunEnvironment, state: LoopState): Promise<AgentResult> {
  const { agent } = environment;
  for (;;) {
    throwIfAborted(environment.signal, `agents ${agent.options.name}`);
    if (state.step >= agent.maxSteps) return complete(environment, state, 'max-steps');
    state.step++;
    const stepNumber = state.step;
    const started = performance.now();
    environment.emit({ type: 'step-start', runId: state.runId, step: stepNumber });
    const stepSpan = startSpan(
      `step ${stepNumber}`,
      { 'gen_ai.agent.name': agent.options.name, 'agenticgen.agent.step': stepNumber },
      environment.span.context,
    );
    const guard = combineSignals(
      `agents ${agent.options.name} step ${stepNumber}`,
      environment.signal,
      agent.options.stepTimeoutMs,
    );
    try {
      const response = await callModel(environment, state, stepNumber, guard.signal, stepSpan);
      state.usage = addUsage(state.usage, response.usage);
      state.messages.push({
        role: 'assistant',
        content: response.content.length > 0 ? response.content : response.text,
      });
      const step: StepResult = {
        step: stepNumber,
        text: response.text,
        finishReason: response.finishReason,
        usage: response.usage,
        toolCalls: [],
        durationMs: 0,
      };
      state.steps.push(step);
      const finalCall = agent.output === undefined ? undefined : finalAnswerCall(agent.output, response);
      if (response.toolCalls.length === 0 || finalCall !== undefined) {
        step.durationMs = performance.now() - started;
        const answered =
          agent.output === undefined || (await acceptOutput(environment, state, agent.output, response, step));
        environment.emit({ type: 'step-finish', runId: state.runId, ...step });
        stepSpan.end();
        if (answered) return await complete(environment, state, 'stop');
        continue;
      }
      await environment.durability?.checkpoint(state, 'tool-calls-planned');
      const outcome = await runToolCalls(environment, state, response.toolCalls, guard.signal, stepSpan, undefined);
      environment.durability?.afterToolCalls?.();
      step.toolCalls = outcome.records;
      if (outcome.pending.length > 0) {
        stepSpan.end({ 'agenticgen.agent.suspended': true });
        return suspend(environment, state, outcome.pending, outcome.records);
      }
      state.messages.push(toolMessage(response.toolCalls, outcome.records));
      step.durationMs = performance.now() - started;
      environment.emit({ type: 'step-finish', runId: state.runId, ...step });
      await environment.durability?.checkpoint(state, 'step-completed');
      stepSpan.end();
      if (agent.stopConditions.some((condition) => condition({ steps: state.steps }))) {
        return await complete(environment, state, 'stop-condition');
      }
    } catch (error) {
      stepSpan.fail(error);
      throw error;
    } finally {
      guard.dispose();
    }
  }
}

/**
 * Validates the structured answer of a step. Valid: the run can complete with it. Invalid with repairs left:
 * the errors go back to the model and the run takes another step. Otherwise `invalid-output`.
 */
async function acceptOutput(
  environment: RunEnvironment,
  state: LoopState,
  plan: AgentOutputPlan,
  response: ChatResponse,
  step: StepResult,
): Promise<boolean> {
  const scope = `agents ${environment.agent.options.name}`;
  const checked = await checkAgentOutput(plan, response, scope, state.usage);
  if (checked.ok) {
    state.output = checked.value;
    step.text = checked.text;
    // The final-answer tool call becomes a plain answer, so the conversation has no call without a result.
    state.messages[state.messages.length - 1] = { role: 'assistant', content: checked.text };
    return true;
  }
  const repairs = state.outputRepairs ?? 0;
  if (repairs >= plan.maxRepairs || response.finishReason === 'length') {
    throw invalidOutputError(scope, checked.text, checked.issues, state.usage, repairs + 1, response.finishReason);
  }
  state.outputRepairs = repairs + 1;
  const repair = outputRepairMessage(plan, response, checked.issues);
  if (repair.role === 'tool') {
    // Other calls of the same step were not run: the model chose to answer.
    for (const call of response.toolCalls) {
      if (call.toolName === plan.toolName) continue;
      repair.content.push({
        type: 'tool-result',
        toolCallId: call.toolCallId,
        toolName: call.toolName,
        output: { error: 'not run: final_answer was called in the same step' },
        isError: true,
      });
    }
  }
  state.messages.push(repair);
  return false;
}

/**
 * Runs the tool calls of a step that a resume picked up (an approval, or a crash after the model planned them)
 * inside that step's span and time limit, then goes on as any step does: stop conditions, then the next steps.
 * `body` returns a result to end the run there (the step suspended again).
 */
export async function resumeStep(
  environment: RunEnvironment,
  state: LoopState,
  body: (signal: AbortSignal, stepSpan: SpanHandle) => Promise<AgentResult | undefined>,
): Promise<AgentResult> {
  const { agent } = environment;
  const stepSpan = startSpan(
    `step ${state.step}`,
    {
      'gen_ai.agent.name': agent.options.name,
      'agenticgen.agent.step': state.step,
      'agenticgen.agent.resumed': true,
    },
    environment.span.context,
  );
  const guard = combineSignals(
    `agents ${agent.options.name} step ${state.step}`,
    environment.signal,
    agent.options.stepTimeoutMs,
  );
  try {
    const suspended = await body(guard.signal, stepSpan);
    if (suspended !== undefined) {
      stepSpan.end({ 'agenticgen.agent.suspended': true });
      return suspended;
    }
    stepSpan.end();
  } catch (error) {
    stepSpan.fail(error);
    throw error;
  } finally {
    guard.dispose();
  }
  if (agent.stopConditions.some((condition) => condition({ steps: state.steps }))) {
    return complete(environment, state, 'stop-condition');
  }
  return runSteps(environment, state);
}

/** The tool message answering `calls`, in the model's order. */
export function toolMessage(
  calls: readonly ToolCallPart[],
  records: readonly { toolCallId: string; toolName: string; output: unknown; isError: boolean }[],
): ChatMessage {
  const byId = new Map(records.map((record) => [record.toolCallId, record]));
  return {
    role: 'tool',
    content: calls.map((call) => {
      const record = byId.get(call.toolCallId);
      if (record === undefined) {
        throw new AgenticGenError('internal', `[agents] no result for tool call ${call.toolCallId}`);
      }
      return record.isError
        ? {
            type: 'tool-result',
            toolCallId: call.toolCallId,
            toolName: call.toolName,
            output: record.output,
            isError: true,
          }
        : { type: 'tool-result', toolCallId: call.toolCallId, toolName: call.toolName, output: record.output };
    }),
  };
}

async function callModel(
  environment: RunEnvironment,
  state: LoopState,
  stepNumber: number,
  signal: AbortSignal,
  stepSpan: SpanHandle,
): Promise<ChatResponse> {
  const { options, registry } = environment.agent;
  const { model } = options;
  const budget =
    options.contextBudgetTokens ?? Math.max(256, model.capabilities.contextWindow - (options.maxOutputTokens ?? 4096));
  const request: ChatRequest = {
    messages: trimToBudget(state.messages, budget, options.countTokens),
    signal,
  };
  if (registry.size > 0) {
    request.tools = registry.specs();
    request.toolChoice = options.toolChoice ?? 'auto';
    if (options.parallelToolCalls !== undefined) request.parallelToolCalls = options.parallelToolCalls;
  }
  if (options.temperature !== undefined) request.temperature = options.temperature;
  if (options.topP !== undefined) request.topP = options.topP;
  if (options.maxOutputTokens !== undefined) request.maxOutputTokens = options.maxOutputTokens;
  if (options.seed !== undefined) request.seed = options.seed;
  if (options.stopSequences !== undefined) request.stopSequences = options.stopSequences;
  if (environment.agent.output !== undefined) applyOutputPlan(environment.agent.output, request);

  const onPart = (part: ChatStreamPart) => {
    if (part.type === 'text-delta') {
      environment.emit({ type: 'text-delta', runId: state.runId, step: stepNumber, delta: part.delta });
    } else if (part.type === 'reasoning-delta') {
      environment.emit({ type: 'reasoning-delta', runId: state.runId, step: stepNumber, delta: part.delta });
    } else if (part.type === 'tool-call-start') {
      // Tool arguments stream too, so a UI can show a call taking shape before it runs.
      const { toolCallId, toolName } = part;
      environment.emit({ type: 'tool-input-start', runId: state.runId, step: stepNumber, toolCallId, toolName });
    } else if (part.type === 'tool-call-delta') {
      const { toolCallId, argumentsDelta: delta } = part;
      environment.emit({ type: 'tool-input-delta', runId: state.runId, step: stepNumber, toolCallId, delta });
    }
  };
  // One path for every agent: the plugin runtime's model call, or the bare runtime's (same events and span).
  const parts = streamThroughRuntime(
    environment.agent.modelCalls,
    { model, request, runId: state.runId, agentName: options.name },
    stepSpan.context,
  );
  return collectStream(abortable(parts, signal, `agents ${options.name}`), { modelId: model.modelId, onPart });
}

/** Iterates `iterable` but stops with the abort error as soon as `signal` aborts, even if the source hangs. */
async function* abortable<T>(iterable: AsyncIterable<T>, signal: AbortSignal, scope: string): AsyncGenerator<T> {
  const iterator = iterable[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const next = await raceWithSignal(iterator.next(), signal, scope);
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!finished) {
      try {
        void Promise.resolve(iterator.return?.()).catch(() => undefined);
      } catch {
        // A source that throws from return() has nothing more to release.
      }
    }
  }
}

export async function complete(
  environment: RunEnvironment,
  state: LoopState,
  stopReason: AgentResult['stopReason'],
): Promise<AgentResult> {
  const { options } = environment.agent;
  const text = state.steps[state.steps.length - 1]?.text ?? '';
  const outputGuardrails = options.guardrails?.output ?? [];
  if (outputGuardrails.length > 0) {
    const tripped = await checkOutput(outputGuardrails, text, guardrailContext(environment, state));
    if (tripped !== undefined) {
      environment.emit({
        type: 'guardrail-tripped',
        runId: state.runId,
        guardrail: tripped.name,
        kind: 'output',
        reason: tripped.reason,
      });
      throw guardrailError('output', tripped.name, tripped.reason, options.name);
    }
  }
  const added = state.messages.slice(state.inputStart);
  if (options.memory !== undefined && state.conversationId !== undefined) {
    await options.memory.append(state.conversationId, added);
  }
  return {
    status: 'completed',
    runId: state.runId,
    text,
    steps: state.steps,
    usage: state.usage,
    messages: added,
    stopReason,
    pendingApprovals: [],
    ...(state.output === undefined ? {} : { output: state.output }),
  };
}

export function suspend(
  environment: RunEnvironment,
  state: LoopState,
  pending: AgentRunState['pendingApprovals'],
  completed: AgentRunState['completedToolCalls'],
): AgentResult {
  const snapshot: AgentRunState = {
    version: 1,
    runId: state.runId,
    agentName: environment.agent.options.name,
    messages: state.messages,
    step: state.step,
    usage: state.usage,
    steps: state.steps,
    pendingApprovals: pending,
    completedToolCalls: completed.filter((record) => !pending.some((call) => call.toolCallId === record.toolCallId)),
    inputStart: state.inputStart,
  };
  if (state.conversationId !== undefined) snapshot.conversationId = state.conversationId;
  return {
    status: 'suspended',
    runId: state.runId,
    text: '',
    steps: state.steps,
    usage: state.usage,
    messages: state.messages.slice(state.inputStart),
    stopReason: 'approval-required',
    pendingApprovals: pending,
    // A JSON round trip proves the state is plain data and detaches it from the live run.
    state: JSON.parse(JSON.stringify(snapshot)) as AgentRunState,
  };
}
