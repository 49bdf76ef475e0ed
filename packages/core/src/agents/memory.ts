import type { CacheStore } from '../contracts/cache-store.js';
import type { ChatMessage } from '../contracts/chat-model.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';

/**
 * Where an agent keeps conversations between runs. Implementations store messages in order per conversation
 * id; the agent loads them before a run and appends the run's new messages after it completes.
 */
export interface ConversationMemory {
  /** The stored messages of a conversation, oldest first (empty when unknown). */
  load(conversationId: string): Promise<ChatMessage[]>;
  /** Appends messages to a conversation. */
  append(conversationId: string, messages: readonly ChatMessage[]): Promise<void>;
  /** Forgets a conversation. */
  clear(conversationId: string): Promise<void>;
}

export interface MemoryOptions {
  /** Keep at most this many messages per conversation (oldest dropped first, whole turns). Default unlimited. */
  maxMessages?: number;
}

/** A conversation memory in a `Map`; lost when the process ends. */
export function createInMemoryConversationMemory(options: MemoryOptions = {}): ConversationMemory {
  const conversations = new Map<string, ChatMessage[]>();
  return {
    async load(conversationId) {
      return structuredClone(conversations.get(conversationId) ?? []);
    },
    async append(conversationId, messages) {
      const next = [...(conversations.get(conversationId) ?? []), ...structuredClone(messages)];
      conversations.set(conversationId, capMessages(next, options.maxMessages));
    },
    async clear(conversationId) {
      conversations.delete(conversationId);
    },
  };
}

export interface CacheConversationMemoryOptions extends MemoryOptions {
  /** The store (for example a tiered `@agenticgen/cache` store backed by Redis or IndexedDB). */
  store: CacheStore;
  /** Key prefix (default `conversation:`). */
  prefix?: string;
  /** Time to live of a conversation since its last message, in ms (default: the store's default). */
  ttlMs?: number;
}

/**
 * A conversation memory persisted through a `CacheStore`, so conversations survive restarts and are shared
 * by processes using the same store. Appends to one conversation are serialised within this process.
 */
export function createCacheConversationMemory(options: CacheConversationMemoryOptions): ConversationMemory {
  const prefix = options.prefix ?? 'conversation:';
  const queues = new Map<string, Promise<unknown>>();
  const key = (conversationId: string) => {
    if (typeof conversationId !== 'string' || conversationId === '') {
      throw new AgenticGenError('invalid-argument', '[agents] conversationId must be a non-empty string');
    }
    return `${prefix}${conversationId}`;
  };
  // Read-modify-write per conversation must not interleave, or two runs would lose each other's messages.
  const serialise = <T>(conversationId: string, work: () => Promise<T>): Promise<T> => {
    const previous = queues.get(conversationId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    queues.set(conversationId, settled);
    void settled.then(() => {
      if (queues.get(conversationId) === settled) queues.delete(conversationId);
    });
    return next;
  };
  const read = async (conversationId: string): Promise<ChatMessage[]> => {
    const stored = await options.store.get<ChatMessage[]>(key(conversationId));
    return Array.isArray(stored) ? stored : [];
  };
  return {
    load: (conversationId) => serialise(conversationId, () => read(conversationId)),
    append: (conversationId, messages) =>
      serialise(conversationId, async () => {
        const next = capMessages([...(await read(conversationId)), ...messages], options.maxMessages);
        // JSON round trip: stores must receive plain data (image bytes become arrays only if callers put them).
        const plain = JSON.parse(JSON.stringify(next)) as ChatMessage[];
        await options.store.set(
          key(conversationId),
          plain,
          options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs },
        );
      }),
    clear: (conversationId) => serialise(conversationId, () => options.store.delete(key(conversationId))),
  };
}

function capMessages(messages: ChatMessage[], maxMessages: number | undefined): ChatMessage[] {
  if (maxMessages === undefined || messages.length <= maxMessages) return messages;
  let start = messages.length - maxMessages;
  // Never start on a tool result: its tool call would be gone and providers reject orphaned results.
  while (start < messages.length && messages[start]?.role === 'tool') start++;
  return messages.slice(start);
}

/** A rough token count: about 4 characters per token plus a few tokens of per-message overhead. */
export function estimateTokens(message: ChatMessage): number {
  let characters = 0;
  if (typeof message.content === 'string') characters = message.content.length;
  else {
    for (const part of message.content) {
      switch (part.type) {
        case 'text':
        case 'reasoning':
          characters += part.text.length;
          break;
        case 'tool-call':
          characters += part.toolName.length + safeLength(part.input);
          break;
        case 'tool-result':
          characters += part.toolName.length + safeLength(part.output);
          break;
        case 'image':
          // Providers bill an image at roughly a fixed cost; 765 tokens is OpenAI's 512×512 high-detail tile.
          characters += 765 * 4;
          break;
      }
    }
  }
  return Math.ceil(characters / 4) + 4;
}

function safeLength(value: unknown): number {
  try {
    return (JSON.stringify(value) ?? '').length;
  } catch {
    return 0;
  }
}

/**
 * Drops the oldest turns until the messages fit `budgetTokens`. System messages and the last user turn
 * (with everything after it) are always kept; a tool call is never separated from its results.
 */
export function trimToBudget(
  messages: readonly ChatMessage[],
  budgetTokens: number,
  countTokens: (message: ChatMessage) => number = estimateTokens,
): ChatMessage[] {
  const costs = messages.map(countTokens);
  let total = costs.reduce((sum, cost) => sum + cost, 0);
  if (total <= budgetTokens) return [...messages];
  let lastUser = -1;
  for (let index = messages.length - 1; index >= 0; index--) {
    if (messages[index]?.role === 'user') {
      lastUser = index;
      break;
    }
  }
  const dropped = new Set<number>();
  for (let index = 0; index < messages.length && total > budgetTokens; index++) {
    const message = messages[index];
    if (message === undefined || message.role === 'system' || (lastUser !== -1 && index >= lastUser)) continue;
    dropped.add(index);
    total -= costs[index] ?? 0;
    // Drop the results that belong to a dropped tool-call message with it.
    while (messages[index + 1]?.role === 'tool') {
      index++;
      dropped.add(index);
      total -= costs[index] ?? 0;
    }
  }
  return messages.filter((_, index) => !dropped.has(index));
}
