import type { ChatRequest, ChatResponse, ChatStreamPart, FinishReason } from '@agenticgen/core';
import type { GenerateContentParameters, GenerateContentResponse } from '@google/genai';
import { AnswerParts } from '../shared/answer-parts.js';
import { usageOf } from '../shared/chat-model-runtime.js';
import type { StreamMapper } from '../shared/managed-stream.js';
import { type TurnWriter, toAlternatingTurns, type UserPartWriter } from '../shared/message-parts.js';
import { toolInputAsObject } from '../shared/tool-call-input.js';

type Part = Record<string, unknown>;
const scope = 'adapters:gemini';

const geminiUserPart: UserPartWriter<Part> = {
  text: (text) => ({ text }),
  image: (image, part) =>
    image.kind === 'url'
      ? { fileData: { fileUri: image.url, mimeType: part.mediaType ?? 'image/jpeg' } }
      : { inlineData: { mimeType: image.mediaType, data: image.data } },
};
/**
 * The Gemini API often returns function calls without an id. We invent one (the contract needs it) and
 * leave it out when the call and its response go back, so Gemini matches them by name and order.
 */
const generatedIdPrefix = 'gemini_call_';
const providerId = (id: string) => (id.startsWith(generatedIdPrefix) ? {} : { id });

const geminiTurns: TurnWriter<'model', Part> = {
  assistantRole: 'model',
  skipEmptyTurns: true,
  user: geminiUserPart,
  assistant: (content) =>
    content.flatMap((part): Part[] => {
      if (part.type === 'text') return part.text === '' ? [] : [{ text: part.text }];
      if (part.type === 'tool-call') {
        return [
          {
            functionCall: { ...providerId(part.toolCallId), name: part.toolName, args: toolInputAsObject(part.input) },
          },
        ];
      }
      return [];
    }),
  toolResults: (results) =>
    results.map((result) => ({
      functionResponse: {
        ...providerId(result.toolCallId),
        name: result.toolName,
        response: result.isError === true ? { error: result.output } : { output: result.output },
      },
    })),
};

/** Builds generateContent parameters. Tool results are `functionResponse` parts in a user turn. */
export function toGenerateContentParameters(
  modelId: string,
  request: ChatRequest,
  signal: AbortSignal,
): GenerateContentParameters {
  const { system, turns } = toAlternatingTurns(request.messages, scope, geminiTurns);
  const config: Record<string, unknown> = { abortSignal: signal };
  if (system.length > 0) config.systemInstruction = system.join('\n\n');
  if (request.tools !== undefined && request.tools.length > 0) {
    config.tools = [
      {
        functionDeclarations: request.tools.map((tool) => ({
          name: tool.name,
          description: tool.description,
          // Plain JSON Schema: the API's JSON Schema field, so core needs no Gemini-specific schema flavour.
          parametersJsonSchema: tool.parameters,
        })),
      },
    ];
  }
  if (request.toolChoice !== undefined) {
    const choice = request.toolChoice;
    config.toolConfig = {
      functionCallingConfig:
        typeof choice === 'string'
          ? { mode: choice === 'required' ? 'ANY' : choice === 'none' ? 'NONE' : 'AUTO' }
          : { mode: 'ANY', allowedFunctionNames: [choice.toolName] },
    };
  }
  if (request.responseFormat?.type === 'json') {
    config.responseMimeType = 'application/json';
    if (request.responseFormat.schema !== undefined) config.responseJsonSchema = request.responseFormat.schema;
  }
  if (request.temperature !== undefined) config.temperature = request.temperature;
  if (request.topP !== undefined) config.topP = request.topP;
  if (request.maxOutputTokens !== undefined) config.maxOutputTokens = request.maxOutputTokens;
  if (request.stopSequences !== undefined) config.stopSequences = request.stopSequences;
  if (request.seed !== undefined) config.seed = request.seed;
  if (request.headers !== undefined) config.httpOptions = { headers: request.headers };
  Object.assign(config, request.providerOptions?.gemini);
  const contents = turns.map((turn) => ({ role: turn.role, parts: turn.items }));
  return { model: modelId, contents, config } as GenerateContentParameters;
}

export function finishReasonOf(reason: string | undefined, hasToolCalls: boolean): FinishReason {
  switch (reason) {
    case 'STOP':
      return hasToolCalls ? 'tool-calls' : 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
      return 'content-filter';
    case undefined:
      return hasToolCalls ? 'tool-calls' : 'other';
    default:
      return 'other';
  }
}

/** Gemini counts thoughts apart from candidates; the contract's outputTokens includes reasoning. */
function usageFrom(metadata: GenerateContentResponse['usageMetadata']): ChatResponse['usage'] {
  const thoughts = metadata?.thoughtsTokenCount;
  return usageOf(metadata?.promptTokenCount, (metadata?.candidatesTokenCount ?? 0) + (thoughts ?? 0), {
    total: metadata?.totalTokenCount,
    reasoning: thoughts,
    cached: metadata?.cachedContentTokenCount,
  });
}

interface GeminiPart {
  text?: string;
  thought?: boolean;
  thoughtSignature?: string;
  functionCall?: { id?: string; name?: string; args?: Record<string, unknown> };
}

function partsOf(response: GenerateContentResponse): GeminiPart[] {
  return (response.candidates?.[0]?.content?.parts ?? []) as GeminiPart[];
}

export function fromGenerateContentResponse(response: GenerateContentResponse, modelId: string): ChatResponse {
  const blocked = response?.promptFeedback?.blockReason !== undefined;
  // Only a blocked prompt comes without a candidate; `{}` is not an empty answer.
  if (!blocked && (!Array.isArray(response?.candidates) || response.candidates.length === 0)) {
    throw new TypeError('the response has no candidates');
  }
  const parts = new AnswerParts();
  for (const part of partsOf(response)) {
    if (part.functionCall !== undefined) {
      // Numbered among the function calls only, as the stream numbers them, so both give the same ids.
      parts.addToolCall(
        part.functionCall.id ?? `${generatedIdPrefix}${parts.toolCallCount}`,
        part.functionCall.name ?? '',
        part.functionCall.args ?? {},
      );
    } else if (typeof part.text === 'string') {
      if (part.thought === true) {
        parts.addReasoning({
          type: 'reasoning',
          text: part.text,
          ...(part.thoughtSignature ? { signature: part.thoughtSignature } : {}),
        });
      } else {
        parts.addText(part.text);
      }
    }
  }
  return parts.answer({
    finishReason: blocked
      ? 'content-filter'
      : finishReasonOf(response.candidates?.[0]?.finishReason, parts.hasToolCalls),
    usage: usageFrom(response.usageMetadata),
    modelId: response.modelVersion ?? modelId,
    providerMetadata: { id: response.responseId },
  });
}

/** Gemini streams whole function calls, so each becomes start, one argument delta and end. */
export class GenerateContentChunkMapper implements StreamMapper<GenerateContentResponse> {
  private started = false;
  private finishReason: string | undefined;
  private blocked = false;
  private metadata: GenerateContentResponse['usageMetadata'];
  private id: string | undefined;
  private callIndex = 0;

  constructor(private readonly modelId: string) {}

  push(chunk: GenerateContentResponse, out: ChatStreamPart[]): void {
    if (chunk?.candidates !== undefined && !Array.isArray(chunk.candidates)) {
      throw new TypeError('the chunk has a candidates field that is not a list');
    }
    if (!this.started) {
      this.started = true;
      this.id = chunk.responseId;
      out.push({
        type: 'response-start',
        modelId: chunk.modelVersion ?? this.modelId,
        ...(this.id === undefined ? {} : { id: this.id }),
      });
    }
    for (const part of partsOf(chunk)) {
      if (part.functionCall !== undefined) {
        const toolCallId = part.functionCall.id ?? `${generatedIdPrefix}${this.callIndex}`;
        const toolName = part.functionCall.name ?? '';
        const input = part.functionCall.args ?? {};
        this.callIndex++;
        out.push({ type: 'tool-call-start', toolCallId, toolName });
        out.push({ type: 'tool-call-delta', toolCallId, argumentsDelta: JSON.stringify(input) });
        out.push({ type: 'tool-call-end', toolCallId, toolName, input });
      } else if (typeof part.text === 'string' && part.text !== '') {
        out.push(
          part.thought === true
            ? { type: 'reasoning-delta', delta: part.text }
            : { type: 'text-delta', delta: part.text },
        );
      }
    }
    if (chunk.usageMetadata !== undefined) this.metadata = chunk.usageMetadata;
    if (chunk.promptFeedback?.blockReason !== undefined) this.blocked = true;
    const reason = chunk.candidates?.[0]?.finishReason;
    if (reason !== undefined) this.finishReason = reason;
  }

  end(out: ChatStreamPart[]): void {
    if (this.finishReason === undefined && !this.blocked) return; // cut stream: the caller reports it
    const usage = usageFrom(this.metadata);
    out.push({ type: 'usage', usage });
    out.push({
      type: 'finish',
      finishReason: this.blocked ? 'content-filter' : finishReasonOf(this.finishReason, this.callIndex > 0),
      usage,
      ...(this.id === undefined ? {} : { providerMetadata: { id: this.id } }),
    });
  }
}
