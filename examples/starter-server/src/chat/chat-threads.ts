/**
 * Chat threads in the store: one thread per token and chat id, holding the conversation as core messages
 * (what the model saw and answered), and the same thread turned back into `UIMessage`s for a page that reloads.
 */
import {
  AgenticGenError,
  type AgentRunState,
  type AgentStore,
  type ChatMessage,
  type StoredMessage,
  type StoredThread,
} from '@agenticgen/core';
import type { UIMessage, UIMessagePart, UIToolPart } from '@agenticgen/core/ui';
import { citationsIn, searchPassages } from './starter-citations.ts';

/** What a chat thread's metadata records. */
export interface ChatThreadState {
  /** The token key that owns the chat. */
  owner: string;
  /** The client's chat id. */
  chatId: string;
  /** The run answering now, or suspended for approval; absent when the last answer ended. */
  activeRunId?: string;
  /** How many messages the active run got as input (its own messages follow them in its result). */
  runInputLength?: number;
}

/** Messages a page gets back at most (the newest). */
export const maxReloadedMessages = 200;

export const threadIdOf = (owner: string, chatId: string) => `chat:${owner}:${chatId}`;

export function chatStateOf(thread: StoredThread): ChatThreadState {
  const { owner, chatId, activeRunId, runInputLength } = thread.metadata;
  return {
    owner: String(owner),
    chatId: String(chatId),
    ...(typeof activeRunId === 'string' ? { activeRunId } : {}),
    ...(typeof runInputLength === 'number' ? { runInputLength } : {}),
  };
}

/** The chat's thread, created on its first message. */
export async function openChatThread(store: AgentStore, owner: string, chatId: string): Promise<StoredThread> {
  const id = threadIdOf(owner, chatId);
  const existing = await store.getThread(id);
  if (existing !== undefined) return existing;
  try {
    return await store.createThread({ id, resourceId: owner, title: chatId, metadata: { owner, chatId } });
  } catch (error) {
    // Two instances took the first message of one chat at once: the other one created it.
    if (!AgenticGenError.hasCode(error, 'already-exists')) throw error;
    return (await store.getThread(id)) as StoredThread;
  }
}

/** Records which run answers the chat now (or that none does). */
export async function setActiveRun(
  store: AgentStore,
  thread: StoredThread,
  run: { runId: string; inputLength: number } | undefined,
): Promise<void> {
  const { owner, chatId } = chatStateOf(thread);
  await store.updateThread(thread.id, {
    metadata:
      run === undefined
        ? { owner, chatId }
        : { owner, chatId, activeRunId: run.runId, runInputLength: run.inputLength },
  });
}

/**
 * Appends the messages a run added that the thread does not hold yet: a run resumed after an approval returns
 * the messages of its first part again, so what is stored for the run is counted and skipped.
 */
export async function recordRunMessages(
  store: AgentStore,
  threadId: string,
  runId: string,
  added: readonly ChatMessage[],
  totalTokens?: number,
): Promise<void> {
  const own = added.filter((message) => message.role === 'assistant' || message.role === 'tool');
  const stored = await store.listMessages(threadId, { from: 'first', metadata: { runId }, limit: 1000 });
  const fresh = own.slice(stored.items.length);
  // The run's token count rides on its last message, for the figures under a reloaded answer.
  const metadataOf = (index: number) =>
    index === fresh.length - 1 && totalTokens !== undefined ? { runId, totalTokens } : { runId };
  if (fresh.length > 0)
    await store.appendMessages(
      threadId,
      fresh.map((message, index) => ({ message, metadata: metadataOf(index) })),
    );
}

/** The thread as `UIMessage`s: each user message, then one assistant message per run with its tool calls and sources. */
export async function loadChatUIMessages(store: AgentStore, thread: StoredThread): Promise<UIMessage[]> {
  const page = await store.listMessages(thread.id, { from: 'last', limit: maxReloadedMessages });
  const messages = toUIMessages(page.items);
  const { activeRunId } = chatStateOf(thread);
  if (activeRunId !== undefined) await markPendingApprovals(store, activeRunId, messages);
  return messages;
}

function toUIMessages(stored: readonly StoredMessage[]): UIMessage[] {
  const out: UIMessage[] = [];
  let assistant: (UIMessage & { searchOutputs: unknown[] }) | undefined;
  const closeAssistant = () => {
    if (assistant === undefined) return;
    const { searchOutputs, ...message } = assistant;
    const text = message.parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
    for (const citation of citationsIn(text, searchPassages(searchOutputs))) {
      message.parts.push({
        type: 'source-document',
        sourceId: citation.ref,
        mediaType: 'text/plain',
        title: citation.source,
      });
    }
    out.push(message);
    assistant = undefined;
  };
  for (const { id, message, metadata } of stored) {
    if (message.role === 'user') {
      closeAssistant();
      out.push({ id, role: 'user', parts: [{ type: 'text', text: textOf(message.content) }] });
      continue;
    }
    if (message.role === 'system') continue;
    const runId = typeof metadata.runId === 'string' ? metadata.runId : undefined;
    if (assistant === undefined || (assistant.metadata as { runId?: string }).runId !== runId) {
      closeAssistant();
      assistant = { id, role: 'assistant', metadata: { runId }, parts: [], searchOutputs: [] };
    }
    if (typeof metadata.totalTokens === 'number')
      assistant.metadata = { runId, usage: { totalTokens: metadata.totalTokens } };
    if (message.role === 'assistant') {
      assistant.parts.push({ type: 'step-start' });
      const parts =
        typeof message.content === 'string' ? [{ type: 'text' as const, text: message.content }] : message.content;
      for (const part of parts) {
        if (part.type === 'text' && part.text !== '')
          assistant.parts.push({ type: 'text', text: part.text, state: 'done' });
        else if (part.type === 'reasoning') assistant.parts.push({ type: 'reasoning', text: part.text, state: 'done' });
        else if (part.type === 'tool-call')
          assistant.parts.push({
            type: `tool-${part.toolName}`,
            toolCallId: part.toolCallId,
            state: 'input-available',
            input: part.input,
          });
      }
      continue;
    }
    for (const result of message.content) {
      const part = assistant.parts.find(
        (candidate): candidate is UIToolPart => 'toolCallId' in candidate && candidate.toolCallId === result.toolCallId,
      );
      if (part === undefined) continue;
      if (result.isError) {
        part.state = 'output-error';
        part.errorText = errorTextOf(result.output);
      } else {
        part.state = 'output-available';
        part.output = result.output;
        if (result.toolName === 'search_knowledge') assistant.searchOutputs.push(result.output);
      }
    }
  }
  closeAssistant();
  return out;
}

/** A run suspended for approval shows its pending calls as approval requests again, ready to be answered. */
async function markPendingApprovals(store: AgentStore, runId: string, messages: UIMessage[]): Promise<void> {
  const pending = (await store.listSuspensions({ runId, status: 'pending' })).filter((suspension) =>
    suspension.suspensionId.startsWith('approval-'),
  );
  const last = messages.at(-1);
  const suspension = pending.at(-1);
  if (suspension === undefined || last?.role !== 'assistant') return;
  const state = (await store.loadNodeResults(runId))[suspension.suspensionId] as AgentRunState | undefined;
  const waiting = new Set(state?.pendingApprovals.map((call) => call.toolCallId) ?? []);
  const calls: Array<{ toolCallId: string; toolName: string }> = [];
  for (const part of last.parts as UIMessagePart[]) {
    if (!('toolCallId' in part) || !waiting.has(part.toolCallId)) continue;
    part.state = 'approval-requested';
    part.approval = { id: part.toolCallId };
    calls.push({ toolCallId: part.toolCallId, toolName: part.type.slice('tool-'.length) });
  }
  last.parts.push({ type: 'data-suspended', id: `suspended-${runId}`, data: { runId, pendingApprovals: calls } });
}

function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  return content.map((part) => ('text' in part && part.type === 'text' ? part.text : '')).join('');
}

function errorTextOf(output: unknown): string {
  const message = (output as { error?: { message?: unknown } } | null)?.error?.message;
  return (typeof message === 'string' ? message : JSON.stringify(output ?? null)).slice(0, 500);
}
