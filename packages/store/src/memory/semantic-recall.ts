/**
 * Semantic recall: stored messages embedded into any `VectorStore` (flat, HNSW, LanceDB) and recalled by
 * similarity, each hit with the messages around it, scoped to a thread or to a user (resource).
 */
import {
  type ChatMessage,
  type Embedder,
  type StoredMessage,
  storeLimits,
  type ThreadStore,
  type VectorStore,
} from '@agenticgen/core';
import { storeError } from '../errors.js';

export interface SemanticRecallOptions {
  /** Where the messages are. */
  threads: ThreadStore;
  /** Where their vectors go. */
  vectors: VectorStore;
  /** Embeds message text and queries. */
  embedder: Embedder;
}

/** One recalled passage: the matching message with its neighbours, oldest first. */
export interface RecalledPassage {
  /** The thread of the match. */
  threadId: string;
  /** `seq` of the matching message. */
  seq: number;
  /** Similarity of the match. */
  score: number;
  /** The match and up to `context` messages before and after it. */
  messages: StoredMessage[];
}

/** The text of a message that is worth embedding (text parts; tool traffic is left out). */
export function textOf(message: ChatMessage): string {
  if (message.role === 'tool') return '';
  if (typeof message.content === 'string') return message.content;
  return message.content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .filter((text) => text !== '')
    .join('\n');
}

export function createSemanticRecall(options: SemanticRecallOptions) {
  const { threads, vectors, embedder } = options;
  return {
    /** Embeds and indexes stored messages (e.g. the result of `appendMessages`); messages without text are skipped. */
    async index(messages: readonly StoredMessage[], scope: { resourceId?: string } = {}): Promise<number> {
      const withText = messages.filter((message) => textOf(message.message).trim() !== '');
      if (withText.length === 0) return 0;
      const embedded = await embedder.embed(withText.map((message) => textOf(message.message)));
      await vectors.upsert(
        withText.map((message, index) => ({
          id: `${message.threadId}:${message.seq}`,
          vector: embedded[index] as Float32Array,
          metadata: {
            threadId: message.threadId,
            seq: message.seq,
            ...(scope.resourceId === undefined ? {} : { resourceId: scope.resourceId }),
          },
        })),
      );
      return withText.length;
    },
    /** The `topK` messages closest to `query` within the scope, each with `context` neighbours on each side. */
    async recall(
      query: string,
      scope: { threadId: string } | { resourceId: string },
      recallOptions: { topK?: number; context?: number } = {},
    ): Promise<RecalledPassage[]> {
      const topK = recallOptions.topK ?? 3;
      const context = recallOptions.context ?? 1;
      if (!(Number.isInteger(topK) && topK >= 1 && topK <= 100)) {
        throw storeError('invalid-argument', 'topK must be an integer from 1 to 100');
      }
      if (!(Number.isInteger(context) && context >= 0 && context <= 20)) {
        throw storeError('invalid-argument', 'context must be an integer from 0 to 20');
      }
      const [vector] = await embedder.embed([query.slice(0, storeLimits.maxJsonLength)]);
      const filter = 'threadId' in scope ? { threadId: scope.threadId } : { resourceId: scope.resourceId };
      const matches = await vectors.query({ vector: vector as Float32Array, topK, filter });
      const passages: RecalledPassage[] = [];
      for (const match of matches) {
        const threadId = match.metadata?.threadId;
        const seq = match.metadata?.seq;
        if (typeof threadId !== 'string' || typeof seq !== 'number') continue;
        const around = await threads.listMessages(threadId, {
          from: 'first',
          cursor: String(Math.max(0, seq - context - 1)),
          limit: 2 * context + 1,
        });
        passages.push({ threadId, seq, score: match.score, messages: around.items });
      }
      return passages;
    },
  };
}

/** What `createSemanticRecall` returns. */
export type SemanticRecall = ReturnType<typeof createSemanticRecall>;
