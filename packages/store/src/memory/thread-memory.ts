/**
 * Conversation memory on a `ThreadStore`: an agent's `memory` option backed by stored threads, so history
 * survives restarts. Loads the last N messages, then trims to a token budget with core's `trimToBudget`
 * (system messages and the last user turn kept, tool calls never split from their results).
 */
import {
  AgenticGenError,
  type ChatMessage,
  type ConversationMemory,
  estimateTokens,
  type StoreMetadata,
  storeLimits,
  type ThreadStore,
  trimToBudget,
} from '@agenticgen/core';
import { storeError } from '../errors.js';

export interface ThreadMemoryOptions {
  /** Where threads live. */
  store: ThreadStore;
  /** Messages loaded at most (default 40, at most 1000). */
  lastMessages?: number;
  /** Token budget of the loaded history; older turns are dropped to fit. Default: no budget. */
  tokenBudget?: number;
  /** Counts tokens of a message (default: core's four-characters-per-token estimate). */
  countTokens?: (message: ChatMessage) => number;
  /** Owner recorded on threads this memory creates. */
  resourceId?: string;
  /** Metadata recorded on threads this memory creates. */
  metadata?: StoreMetadata;
}

/** A `ConversationMemory` whose conversation ids are thread ids of `store`. */
export function createThreadMemory(options: ThreadMemoryOptions): ConversationMemory {
  const { store } = options;
  const lastMessages = options.lastMessages ?? 40;
  if (!(Number.isInteger(lastMessages) && lastMessages >= 1 && lastMessages <= storeLimits.maxPageSize)) {
    throw storeError('invalid-config', `lastMessages must be an integer from 1 to ${storeLimits.maxPageSize}`);
  }
  if (options.tokenBudget !== undefined && !(options.tokenBudget > 0)) {
    throw storeError('invalid-config', 'tokenBudget must be a number > 0');
  }
  return {
    async load(conversationId) {
      if ((await store.getThread(conversationId)) === undefined) return [];
      const { items } = await store.listMessages(conversationId, { limit: lastMessages });
      let messages = items.map((item) => item.message);
      // A window that starts inside a turn (tool results without their call) is not a valid prompt.
      const firstTurn = messages.findIndex((message) => message.role === 'user' || message.role === 'system');
      messages = firstTurn === -1 ? [] : messages.slice(firstTurn);
      return options.tokenBudget === undefined
        ? messages
        : trimToBudget(messages, options.tokenBudget, options.countTokens ?? estimateTokens);
    },
    async append(conversationId, messages) {
      if ((await store.getThread(conversationId)) === undefined) {
        try {
          await store.createThread({
            id: conversationId,
            ...(options.resourceId === undefined ? {} : { resourceId: options.resourceId }),
            ...(options.metadata === undefined ? {} : { metadata: options.metadata }),
          });
        } catch (error) {
          // Another process created it between our read and our insert: append to that one.
          if (!AgenticGenError.hasCode(error, 'already-exists')) throw error;
        }
      }
      for (let start = 0; start < messages.length; start += storeLimits.maxBatch) {
        const batch = messages.slice(start, start + storeLimits.maxBatch).map((message) => ({ message }));
        await store.appendMessages(conversationId, batch);
      }
    },
    async clear(conversationId) {
      await store.deleteThread(conversationId);
    },
  };
}
