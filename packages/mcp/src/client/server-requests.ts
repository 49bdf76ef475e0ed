import type { ChatMessage, ChatModel, ChatRequest } from '@agenticgen/core';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  type ClientCapabilities,
  type CreateMessageRequest,
  CreateMessageRequestSchema,
  type CreateMessageResult,
  type ElicitRequest,
  ElicitRequestSchema,
  type ElicitResult,
  ListRootsRequestSchema,
  type Root,
} from '@modelcontextprotocol/sdk/types.js';
import { mcpError } from '../errors.js';

/** What a sampling approval hook sees: the server's request, as the server sent it. */
export type SamplingRequest = CreateMessageRequest['params'];

/** Lets a server ask our model for a completion (`sampling/createMessage`). */
export interface SamplingOptions {
  /** The model that answers. The server pays nothing for it: you do, so set `approve` and `maxOutputTokens`. */
  model: ChatModel;
  /** Called before each request; return false to refuse it (the server gets an error). Default: allow. */
  approve?: (request: SamplingRequest) => boolean | Promise<boolean>;
  /** Upper bound on the tokens of one answer, whatever the server asks (default 1,024). */
  maxOutputTokens?: number;
  /** Most messages one request may carry (default 50). */
  maxMessages?: number;
}

/** Handlers for the requests a server may send to the client. Each one is advertised only when configured. */
export interface ServerRequestHandlers {
  /** Answers `sampling/createMessage` with a core ChatModel. */
  sampling?: SamplingOptions;
  /** Answers `elicitation/create` (the server asks the user for input). */
  elicitation?: (request: ElicitRequest['params'], signal: AbortSignal) => Promise<ElicitResult>;
  /** The roots (directories, URIs) the server may work within, answered to `roots/list`. */
  roots?: () => readonly Root[] | Promise<readonly Root[]>;
}

/** Installs the configured handlers on an SDK client. */
export function installServerRequestHandlers(client: Client, handlers: ServerRequestHandlers): void {
  const { sampling, elicitation, roots } = handlers;
  if (sampling !== undefined) {
    client.setRequestHandler(CreateMessageRequestSchema, (request, extra) =>
      answerSampling(sampling, request.params, extra.signal),
    );
  }
  if (elicitation !== undefined) {
    client.setRequestHandler(ElicitRequestSchema, (request, extra) => elicitation(request.params, extra.signal));
  }
  if (roots !== undefined) {
    client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [...(await roots())] }));
  }
}

/** The capabilities to announce in `initialize` for the configured handlers. */
installServerRequestHandlers.capabilities = (handlers: ServerRequestHandlers): ClientCapabilities => {
  const capabilities: ClientCapabilities = {};
  if (handlers.sampling !== undefined) capabilities.sampling = {};
  if (handlers.elicitation !== undefined) capabilities.elicitation = { form: {} };
  if (handlers.roots !== undefined) capabilities.roots = { listChanged: false };
  return capabilities;
};

async function answerSampling(
  sampling: SamplingOptions,
  params: SamplingRequest,
  signal: AbortSignal,
): Promise<CreateMessageResult> {
  const maxMessages = sampling.maxMessages ?? 50;
  if (params.messages.length > maxMessages) {
    throw mcpError(
      'mcp-limit-exceeded',
      `sampling request has ${params.messages.length} messages (max ${maxMessages})`,
    );
  }
  if (sampling.approve !== undefined && !(await sampling.approve(params))) {
    throw mcpError('mcp-request-refused', 'the host refused this sampling request');
  }
  const messages: ChatMessage[] = [];
  if (params.systemPrompt !== undefined) messages.push({ role: 'system', content: params.systemPrompt });
  for (const message of params.messages) {
    const blocks = Array.isArray(message.content) ? message.content : [message.content];
    const text = blocks.map((block) => (block.type === 'text' ? block.text : `[${block.type} omitted]`)).join('\n');
    messages.push(message.role === 'user' ? { role: 'user', content: text } : { role: 'assistant', content: text });
  }
  const request: ChatRequest = {
    messages,
    signal,
    maxOutputTokens: Math.min(params.maxTokens, sampling.maxOutputTokens ?? 1_024),
  };
  if (params.temperature !== undefined) request.temperature = params.temperature;
  if (params.stopSequences !== undefined) request.stopSequences = params.stopSequences;
  const response = await sampling.model.generate(request);
  return {
    role: 'assistant',
    content: { type: 'text', text: response.text },
    model: response.modelId,
    stopReason: response.finishReason === 'length' ? 'maxTokens' : 'endTurn',
  };
}
