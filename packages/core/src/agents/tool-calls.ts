import { context } from '@opentelemetry/api';
import type { ToolCallPart } from '../contracts/chat-model.js';
import { AgenticGenError, type CoreErrorCode, toAgenticGenError } from '../errors/agenticgen-error.js';
import type { ArgumentsValidator } from '../tools/define-tool.js';
import { executeTool, type ToolOutcome } from '../tools/execute-tool.js';
import { type SpanHandle, startSpan } from './agent-telemetry.js';
import { checkToolCall, guardrailError } from './guardrails.js';
import type { LoopState } from './loop-state.js';
import { guardrailContext, type RunEnvironment } from './run-environment.js';
import type { ApprovalDecision, PendingApproval, ToolCallRecord } from './types.js';

export interface ToolCallsOutcome {
  /** Results of the calls that ran (or were refused), in the model's order. */
  records: ToolCallRecord[];
  /** Calls that wait for approval. */
  pending: PendingApproval[];
}

/**
 * Runs one step's tool calls. Without `decisions` (a fresh step) guardrails run first and tools that need
 * approval are set aside; with `decisions` (a resume) the listed calls run or are denied.
 */
export async function runToolCalls(
  environment: RunEnvironment,
  state: LoopState,
  calls: readonly ToolCallPart[],
  signal: AbortSignal,
  stepSpan: SpanHandle,
  decisions: Readonly<Record<string, ApprovalDecision>> | undefined,
): Promise<ToolCallsOutcome> {
  const { options, registry } = environment.agent;
  const stepNumber = state.step;
  const pending: PendingApproval[] = [];
  const planned: Array<() => Promise<ToolCallRecord>> = [];

  for (const call of calls) {
    if (decisions === undefined) {
      environment.emit({
        type: 'tool-call',
        runId: state.runId,
        step: stepNumber,
        toolCallId: call.toolCallId,
        toolName: call.toolName,
        input: call.input,
      });
      const verdict = await checkToolCall(
        options.guardrails?.toolCalls ?? [],
        call,
        guardrailContext(environment, state),
      );
      if (verdict.action === 'trip') {
        environment.emit({
          type: 'guardrail-tripped',
          runId: state.runId,
          guardrail: verdict.guardrail,
          kind: 'tool-call',
          reason: verdict.reason,
        });
        throw guardrailError('tool-call', verdict.guardrail, verdict.reason, options.name);
      }
      if (verdict.action === 'reject') {
        planned.push(async () =>
          refused(
            call,
            'tool-rejected',
            `[agents] the call was rejected by guardrail "${verdict.guardrail}": ${verdict.reason}`,
          ),
        );
        continue;
      }
      const tool = registry.get(call.toolName);
      if (tool?.needsApproval && (await argumentsAreValid(call.input, tool.validator))) {
        pending.push({ toolCallId: call.toolCallId, toolName: call.toolName, input: call.input });
        environment.emit({
          type: 'tool-approval-request',
          runId: state.runId,
          step: stepNumber,
          toolCallId: call.toolCallId,
          toolName: call.toolName,
          input: call.input,
        });
        continue;
      }
    } else {
      const decision = decisions[call.toolCallId];
      if (decision !== undefined && !decision.approved) {
        const reason = decision.reason ?? 'no reason given';
        planned.push(async () => refused(call, 'tool-denied', `[agents] a person denied this call: ${reason}`));
        continue;
      }
    }
    planned.push(() => executeOne(environment, state, call, signal, stepSpan));
  }

  // Each result is announced as soon as it exists, so streaming UIs see fast tools finish before slow ones.
  const announced = async (run: () => Promise<ToolCallRecord>) => {
    const record = await run();
    environment.emit({ type: 'tool-result', runId: state.runId, step: stepNumber, ...record });
    return record;
  };
  let records: ToolCallRecord[];
  if (options.parallelToolCalls === false) {
    records = [];
    for (const run of planned) records.push(await announced(run));
  } else {
    records = await Promise.all(planned.map(announced));
  }
  return { records, pending };
}

function refused(call: ToolCallPart, code: CoreErrorCode, message: string): ToolCallRecord {
  return {
    toolCallId: call.toolCallId,
    toolName: call.toolName,
    input: call.input,
    output: { error: { code, message } },
    isError: true,
    durationMs: 0,
  };
}

async function argumentsAreValid(input: unknown, validator: ArgumentsValidator<unknown>): Promise<boolean> {
  let value = input ?? {};
  if (typeof value === 'string') {
    try {
      value = value.trim() === '' ? {} : JSON.parse(value);
    } catch {
      return false;
    }
  }
  return (await validator.validate(value)).ok;
}

async function executeOne(
  environment: RunEnvironment,
  state: LoopState,
  call: ToolCallPart,
  signal: AbortSignal,
  stepSpan: SpanHandle,
): Promise<ToolCallRecord> {
  const { options, registry, events } = environment.agent;
  const common = { runId: state.runId, agentName: options.name, toolCallId: call.toolCallId, toolName: call.toolName };
  const span = startSpan(
    `execute_tool ${call.toolName}`,
    {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': call.toolName,
      'gen_ai.tool.call.id': call.toolCallId,
      'gen_ai.tool.type': 'function',
      'gen_ai.agent.name': options.name,
    },
    stepSpan.context,
  );
  const { runtime } = environment.agent;
  const scoped = { runId: state.runId, agentName: options.name };
  let input = call.input;
  let outcome: ToolOutcome | undefined;
  if (runtime?.hooks.has('beforeToolCall')) {
    try {
      const before = await runtime.hooks.run('beforeToolCall', {
        ...scoped,
        toolName: call.toolName,
        toolCallId: call.toolCallId,
        arguments: input,
      });
      input = before.arguments;
    } catch (thrown) {
      // A guard hook refused the call: the model learns why, as with a tool-call guardrail's rejection.
      const error = toAgenticGenError(thrown, 'hook-failed', `agents ${options.name}`);
      outcome = {
        ok: false,
        error: { code: error.code, message: error.message },
        cause: error.toJSON(),
        durationMs: 0,
      };
    }
  }
  events?.emit('tool-call-start', { ...common, arguments: input, timestamp: Date.now() });
  if (outcome === undefined) {
    const tool = registry.get(call.toolName);
    const suspendCall = environment.durability?.suspender?.(call.toolCallId);
    const execute = (idempotencyKey?: string) =>
      tool === undefined
        ? registry.execute(call.toolName, input, { toolCallId: call.toolCallId, signal })
        : // Spans the tool opens (a sub-agent's run, an HTTP client) nest under this one where a context manager exists.
          context.with(span.context, () =>
            executeTool(tool, input, {
              toolCallId: call.toolCallId,
              signal,
              values: environment.values,
              ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
              ...(suspendCall === undefined ? {} : { suspend: suspendCall }),
            }),
          );
    // A durable run records the call in its idempotency ledger (durable-run.ts) so a crash never repeats it blindly.
    outcome =
      environment.durability === undefined || tool === undefined
        ? await execute()
        : await environment.durability.callTool(
            { toolCallId: call.toolCallId, toolName: call.toolName, idempotent: tool.idempotent !== false },
            execute,
          );
  }
  // A run-level abort must end the run, not become a tool error the model would see.
  if (signal.aborted && !outcome.ok && (outcome.error.code === 'aborted' || outcome.error.code === 'timeout')) {
    const reason: unknown = signal.reason;
    span.fail(reason);
    throw AgenticGenError.isInstance(reason)
      ? reason
      : new AgenticGenError('aborted', `[agents ${options.name}] the run was aborted`, { cause: reason });
  }
  if (outcome.ok) {
    span.end();
    events?.emit('tool-call-finish', {
      ...common,
      status: 'success',
      durationMs: outcome.durationMs,
      timestamp: Date.now(),
    });
  } else {
    span.fail(AgenticGenError.fromJSON(outcome.cause));
    events?.emit('tool-call-finish', {
      ...common,
      status: 'error',
      durationMs: outcome.durationMs,
      errorCode: outcome.error.code,
      timestamp: Date.now(),
    });
  }
  if (runtime?.hooks.has('afterToolCall') && !runtime.disposed) {
    const after = await runtime.hooks.run('afterToolCall', {
      ...scoped,
      toolName: call.toolName,
      toolCallId: call.toolCallId,
      arguments: input,
      outcome,
    });
    outcome = after.outcome;
  }
  return {
    toolCallId: call.toolCallId,
    toolName: call.toolName,
    input: call.input,
    output: outcome.ok ? outcome.output : { error: outcome.error },
    isError: !outcome.ok,
    durationMs: outcome.durationMs,
  };
}
