import { AgenticGenError } from '../errors/agenticgen-error.js';
import { applyUIMessageChunk, parseUIMessageSse, type UIMessage, type UIToolPart } from './ui-message-assembler.js';

/** Where a chat is. */
export type ChatStatus = 'ready' | 'submitted' | 'streaming' | 'error';

/** What subscribers see. */
export interface ChatState {
  /** The conversation, the answer being streamed included. */
  readonly messages: readonly UIMessage[];
  /** `submitted` until the first chunk, `streaming` while it flows, `error` after a failure. */
  readonly status: ChatStatus;
  /** The last failure's text, in `error`. */
  readonly error?: string;
}

export interface ChatClientOptions {
  /** The chat endpoint (default `/api/ui/chat`), as `useChat`'s default transport uses it. */
  api?: string;
  /** The chat id (default: a random UUID). */
  chatId?: string;
  /** Headers of every request (for example `authorization`). */
  headers?: Record<string, string>;
  /** The fetch to use (default `globalThis.fetch`). */
  fetch?: typeof fetch;
  /** Messages to start from. */
  messages?: UIMessage[];
  /** Longest SSE event accepted, in characters (default 1,000,000): a bigger one is an error, not a memory leak. */
  maxEventCharacters?: number;
  /**
   * @deprecated Use `maxEventCharacters` (no abbreviations in public names, as the loaders); it wins when both are
   * given. Removed in the next minor release.
   */
  maxEventChars?: number;
}

/** A framework-free chat on the AI SDK UI message stream protocol, for pages without React, Vue or Svelte. */
export interface ChatClient {
  /** The chat id (part of the resume URL). */
  readonly chatId: string;
  /** The current state. */
  getState(): ChatState;
  /** Calls `listener` on every change; returns an unsubscribe. */
  subscribe(listener: (state: ChatState) => void): () => void;
  /** Sends a user message and streams the answer. */
  send(text: string): Promise<void>;
  /** Stops the answer here and cancels it on the server. */
  stop(): Promise<void>;
  /**
   * Reconnects to the running answer: continues the last assistant message from the events it already has, or
   * (after a reload, with no such message) replays it. Resolves when the answer ends; nothing when none runs.
   */
  resume(): Promise<void>;
  /** Answers a tool approval request; once every pending request is answered, the answers are sent. */
  approve(approvalId: string, approved: boolean, reason?: string): Promise<void>;
}

export function createChatClient(options: ChatClientOptions = {}): ChatClient {
  const api = options.api ?? '/api/ui/chat';
  const chatId = options.chatId ?? crypto.randomUUID();
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const maxEventChars = options.maxEventCharacters ?? options.maxEventChars ?? 1_000_000;
  const listeners = new Set<(state: ChatState) => void>();
  let state: ChatState = { messages: options.messages ?? [], status: 'ready' };
  let controller: AbortController | undefined;
  /** Events of the current answer already applied: the resume index. */
  let received = 0;

  const publish = (next: Partial<ChatState>) => {
    const merged = { ...state, ...next } as ChatState & { error?: string };
    if (next.status !== undefined && next.status !== 'error') delete merged.error;
    state = merged;
    for (const listener of listeners) listener(state);
  };
  const copyMessages = () => state.messages.map((message) => structuredClone(message));

  async function consume(response: Response, assistant: UIMessage, signal: AbortSignal): Promise<void> {
    if (!response.ok || response.body === null) {
      const detail = await response.text().catch(() => '');
      throw new AgenticGenError(
        'invalid-response',
        `[ui] the chat endpoint answered ${response.status}: ${detail.slice(0, 300)}`,
      );
    }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    const cancelOnAbort = () => void reader.cancel().catch(() => undefined);
    signal.addEventListener('abort', cancelOnAbort, { once: true });
    let buffer = '';
    let appended = state.messages.includes(assistant);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        // A superseded connection (stop, resume) must not write into the message any more.
        if (done || signal.aborted) break;
        buffer += value;
        const parsed = parseUIMessageSse(buffer);
        buffer = parsed.rest;
        if (buffer.length > maxEventChars)
          throw new AgenticGenError('invalid-response', `[ui] an event exceeded ${maxEventChars} characters`);
        received += parsed.events;
        for (const chunk of parsed.chunks) {
          const outcome = applyUIMessageChunk(assistant, chunk);
          if (typeof outcome === 'object') {
            // The text that came before the error (maybe in this same read) stays on screen.
            if (!appended && assistant.parts.length > 0) {
              state = { ...state, messages: [...state.messages, assistant] };
              appended = true;
            }
            publish({ messages: [...state.messages], status: 'error', error: outcome.error });
            return;
          }
        }
        if (!appended && assistant.parts.length + parsed.chunks.length > 0) {
          state = { ...state, messages: [...state.messages, assistant] };
          appended = true;
        }
        publish({ messages: [...state.messages], status: 'streaming' });
        if (parsed.done) break;
      }
      if (!signal.aborted) publish({ messages: [...state.messages], status: 'ready' });
    } catch (error) {
      if (!signal.aborted) throw error;
    } finally {
      signal.removeEventListener('abort', cancelOnAbort);
      reader.releaseLock();
    }
  }

  async function request(messages: UIMessage[]): Promise<void> {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    received = 0;
    publish({ messages, status: 'submitted' });
    const assistant: UIMessage = { id: crypto.randomUUID(), role: 'assistant', parts: [] };
    try {
      const response = await doFetch(api, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: JSON.stringify({ id: chatId, messages, trigger: 'submit-message' }),
        signal: current.signal,
      });
      await consume(response, assistant, current.signal);
    } catch (error) {
      if (!current.signal.aborted)
        publish({ status: 'error', error: error instanceof Error ? error.message.slice(0, 500) : 'request failed' });
    }
  }

  return {
    chatId,
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    send(text) {
      const user: UIMessage = { id: crypto.randomUUID(), role: 'user', parts: [{ type: 'text', text }] };
      return request([...copyMessages(), user]);
    },
    async stop() {
      controller?.abort();
      publish({ status: 'ready' });
      await doFetch(`${api}/${encodeURIComponent(chatId)}/stream`, {
        method: 'DELETE',
        headers: { ...options.headers },
      });
    },
    async resume() {
      controller?.abort();
      const current = new AbortController();
      controller = current;
      const last = state.messages.at(-1);
      const continuing = last?.role === 'assistant' && received > 0;
      const url = `${api}/${encodeURIComponent(chatId)}/stream${continuing ? `?from=${received}` : ''}`;
      try {
        const response = await doFetch(url, { headers: { ...options.headers }, signal: current.signal });
        if (response.status === 204) return;
        if (!continuing) received = 0;
        const assistant =
          continuing && last !== undefined ? last : { id: crypto.randomUUID(), role: 'assistant' as const, parts: [] };
        publish({ status: 'streaming' });
        await consume(response, assistant, current.signal);
      } catch (error) {
        if (current.signal.aborted) publish({ status: 'ready' });
        else
          publish({ status: 'error', error: error instanceof Error ? error.message.slice(0, 500) : 'resume failed' });
      }
    },
    async approve(approvalId, approved, reason) {
      const messages = copyMessages();
      const last = messages.at(-1);
      const tools = (last?.parts ?? []).filter((part): part is UIToolPart => 'toolCallId' in part);
      const part = tools.find((tool) => tool.approval?.id === approvalId && tool.state === 'approval-requested');
      if (part === undefined)
        throw new AgenticGenError('not-found', '[ui] no pending approval with this id in the last message');
      part.state = 'approval-responded';
      part.approval = { id: approvalId, approved, ...(reason === undefined ? {} : { reason }) };
      publish({ messages });
      if (tools.some((tool) => tool.state === 'approval-requested')) return;
      await request(messages);
    },
  };
}
