/**
 * Conversation memory on a `ThreadStore`: an agent's `memory` option backed by stored threads, so history
 * survives restarts. Loads the last N messages, then trims to a token budget with core's `trimToBudget`
 * (system messages and the last user turn kept, tool calls never split from their results). With `summary`,
 * the turns older than what was loaded are summarised by a model (thread-summary.ts) and put first.
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
import { catchUpSummary, checkSummaryOptions, summaryMessage, type ThreadSummaryOptions } from './thread-summary.js';

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
  /**
   * Summarise the older turns: every message before the loaded window is folded into a summary (written by
   * `summary.model`, saved with the thread, extended incrementally) that `load` returns first, as a system message.
   */
  summary?: ThreadSummaryOptions;
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
  const summarise = options.summary === undefined ? undefined : checkSummaryOptions(options.summary);
  const countTokens = options.countTokens ?? estimateTokens;
  return {
    async load(conversationId) {
      const thread = await store.getThread(conversationId);
      if (thread === undefined) return [];
      const { items } = await store.listMessages(conversationId, { limit: lastMessages });
      // A window that starts inside a turn (tool results without their call) is not a valid prompt.
      const firstTurn = items.findIndex((item) => item.message.role === 'user' || item.message.role === 'system');
      let window = firstTurn === -1 ? [] : items.slice(firstTurn);
      const stored = thread.summary === undefined ? undefined : summaryMessage(thread.summary);
      if (options.tokenBudget !== undefined) {
        // The summary is part of the prompt too: the history gets what it leaves of the budget.
        const budget = Math.max(1, options.tokenBudget - (stored === undefined ? 0 : countTokens(stored)));
        const kept = new Set(
          trimToBudget(
            window.map((item) => item.message),
            budget,
            countTokens,
          ),
        );
        window = window.filter((item) => kept.has(item.message));
      }
      const messages = window.map((item) => item.message);
      if (summarise === undefined) return messages;
      // Everything before the first loaded non-system message is "older": that is what the summary covers.
      const boundary =
        window.find((item) => item.message.role !== 'system')?.seq ?? (items[items.length - 1]?.seq ?? 0) + 1;
      const summary = await catchUpSummary(store, conversationId, thread.summary, boundary, summarise);
      return summary === undefined ? messages : [summaryMessage(summary), ...messages];
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
