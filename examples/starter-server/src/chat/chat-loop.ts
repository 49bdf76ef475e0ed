import type { ChatMessage, ChatModel, ToolCallPart, ToolRegistry, Usage } from '@agenticgen/core';
import { AgenticGenError } from '@agenticgen/core';
import type { RunEvent } from '../runs/run-manager.ts';

export interface ChatLoopOptions {
  model: ChatModel;
  tools: ToolRegistry;
  messages: ChatMessage[];
  signal: AbortSignal;
  emit: (event: RunEvent) => void;
  /** Model calls at most (each tool round trip is one more). */
  maxSteps?: number;
  /** Host values passed to tools (session ids, …). */
  values?: Readonly<Record<string, unknown>>;
}

export interface ChatLoopResult {
  text: string;
  modelId: string;
  provider: string;
  steps: number;
  usage: Usage;
}

/**
 * A chat turn with tools: stream the model, forward its parts as events, run the tools it calls (validated by
 * the registry, errors returned to the model as data), and call it again until it answers without tools.
 */
export async function runChatLoop(options: ChatLoopOptions): Promise<ChatLoopResult> {
  const { model, tools, emit, signal } = options;
  const messages = [...options.messages];
  const usage: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  const maxSteps = options.maxSteps ?? 6;
  let text = '';
  for (let step = 1; step <= maxSteps; step++) {
    if (signal.aborted) throw signal.reason;
    emit({ type: 'step-start', step, provider: model.provider, modelId: model.modelId });
    const calls: ToolCallPart[] = [];
    let stepText = '';
    const request = tools.size > 0 ? { messages, tools: tools.specs(), signal } : { messages, signal };
    for await (const part of model.stream(request)) {
      switch (part.type) {
        case 'text-delta':
          stepText += part.delta;
          emit({ type: 'text-delta', step, delta: part.delta });
          break;
        case 'tool-call-end':
          calls.push({ type: 'tool-call', toolCallId: part.toolCallId, toolName: part.toolName, input: part.input });
          emit({ type: 'tool-call', step, toolCallId: part.toolCallId, toolName: part.toolName, input: part.input });
          break;
        case 'finish':
          usage.inputTokens += part.usage.inputTokens;
          usage.outputTokens += part.usage.outputTokens;
          usage.totalTokens += part.usage.totalTokens;
          emit({ type: 'usage', usage: part.usage, ...(part.costUsd === undefined ? {} : { costUsd: part.costUsd }) });
          break;
        default:
          break;
      }
    }
    text += stepText;
    if (calls.length === 0) {
      return { text, modelId: model.modelId, provider: model.provider, steps: step, usage };
    }
    messages.push({
      role: 'assistant',
      content: [...(stepText === '' ? [] : [{ type: 'text' as const, text: stepText }]), ...calls],
    });
    const outcomes = await Promise.all(
      calls.map((call) =>
        tools.execute(call.toolName, call.input, { toolCallId: call.toolCallId, signal, values: options.values ?? {} }),
      ),
    );
    const results = calls.map((call, index) => {
      const outcome = outcomes[index];
      if (outcome === undefined) throw new AgenticGenError('internal', '[server] a tool outcome is missing');
      emit({
        type: 'tool-result',
        step,
        toolCallId: call.toolCallId,
        toolName: call.toolName,
        input: call.input,
        output: outcome.ok ? outcome.output : outcome.error,
        isError: !outcome.ok,
        durationMs: outcome.durationMs,
      });
      return {
        type: 'tool-result' as const,
        toolCallId: call.toolCallId,
        toolName: call.toolName,
        output: outcome.ok ? outcome.output : outcome.error,
        ...(outcome.ok ? {} : { isError: true }),
      };
    });
    messages.push({ role: 'tool', content: results });
  }
  throw new AgenticGenError('invalid-response', `[server] the model did not finish within ${maxSteps} steps`);
}
