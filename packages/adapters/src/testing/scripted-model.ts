import {
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  type ModelCapabilities,
  partsFromResponse,
} from '@agenticgen/core';

/** A ChatModel whose answers a test scripts; records calls. Used to test the manager and compareModels. */
export interface ScriptedModel extends ChatModel {
  /** Requests received, in order. */
  readonly calls: ChatRequest[];
}

export function textResponse(
  text: string,
  modelId: string,
  usage = { inputTokens: 10, outputTokens: 5 },
): ChatResponse {
  return {
    text,
    content: [{ type: 'text', text }],
    toolCalls: [],
    finishReason: 'stop',
    usage: { ...usage, totalTokens: usage.inputTokens + usage.outputTokens },
    modelId,
  };
}

export function createScriptedModel(options: {
  provider?: string;
  modelId: string;
  capabilities?: Partial<ModelCapabilities>;
  /** Returns the answer or throws; may wait first. */
  answer: (request: ChatRequest, call: number) => Promise<ChatResponse> | ChatResponse;
}): ScriptedModel {
  const calls: ChatRequest[] = [];
  return {
    provider: options.provider ?? 'scripted',
    modelId: options.modelId,
    capabilities: {
      tools: true,
      vision: false,
      structuredOutput: true,
      streaming: true,
      contextWindow: 8192,
      ...options.capabilities,
    },
    calls,
    async generate(request) {
      calls.push(request);
      return options.answer(request, calls.length);
    },
    async *stream(request) {
      calls.push(request);
      const response = await options.answer(request, calls.length);
      yield* partsFromResponse(response);
    },
  };
}
