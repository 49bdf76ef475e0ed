/**
 * The thread contract: conversations that outlive a process. The memory store in core, and the PGlite and
 * PostgreSQL drivers of `@agenticgen/store`, implement it and pass one contract suite
 * (`runStoreContractSuite` from `@agenticgen/store/testing`).
 */
import type { ChatMessage } from './chat-model.js';
import type { StoreCallOptions } from './store-call-options.js';

/** Metadata values a thread or message carries; searchable by equality. */
export type StoreMetadata = Record<string, string | number | boolean | null>;

/** A conversation. */
export interface StoredThread {
  /** Unique id (given by the caller or generated). */
  id: string;
  /** Who owns it (a user, a tenant); threads are listed per resource. */
  resourceId?: string;
  /** A human title. */
  title?: string;
  /** Flat metadata, searchable with `listThreads({ metadata })`. */
  metadata: StoreMetadata;
  /** Creation time, epoch milliseconds. */
  createdAt: number;
  /** Last change (update or appended message), epoch milliseconds. */
  updatedAt: number;
  /** The summary of the thread's older messages, when conversation memory wrote one. */
  summary?: ThreadSummary;
}

/** A summary of a thread's messages up to a position, kept with the thread (conversation memory writes it). */
export interface ThreadSummary {
  /** The summary text (at most `storeLimits.maxSummaryLength` characters). */
  text: string;
  /** The last message position (`seq`) the summary covers. */
  throughSeq: number;
  /** When it was saved, epoch milliseconds. */
  updatedAt: number;
}

/** A message as stored: the chat message with its position in the thread. */
export interface StoredMessage {
  /** Unique id within the store. */
  id: string;
  /** The thread it belongs to. */
  threadId: string;
  /**
   * Position in the thread, starting at 1 and strictly increasing without gaps, assigned by the store at append:
   * concurrent appenders (other processes included) never get the same or a reordered position.
   */
  seq: number;
  /** The chat message (role and content with its parts), exactly as appended. */
  message: ChatMessage;
  /** Flat metadata of the message. */
  metadata: StoreMetadata;
  /** Append time, epoch milliseconds. */
  createdAt: number;
}

/** What `createThread` takes. */
export interface NewThread {
  /** Id to use; generated when omitted. Creating an existing id is an `already-exists` error. */
  id?: string;
  /** Owner of the thread. */
  resourceId?: string;
  /** A human title. */
  title?: string;
  /** Flat metadata. */
  metadata?: StoreMetadata;
}

/** What `appendMessages` takes for each message. */
export interface NewMessage {
  /** The chat message. */
  message: ChatMessage;
  /** Id to use; generated when omitted. */
  id?: string;
  /** Flat metadata of the message. */
  metadata?: StoreMetadata;
}

/** One page of a listing; pass `nextCursor` back to get the next page. */
export interface Page<T> {
  /** The items of this page. */
  items: T[];
  /** Opaque cursor of the next page; absent on the last page. */
  nextCursor?: string;
}

/** Which threads `listThreads` returns, most recently updated first. */
export interface ThreadQuery {
  /** Only threads of this owner. */
  resourceId?: string;
  /** Only threads whose metadata has every one of these key/value pairs. */
  metadata?: StoreMetadata;
  /** Page size (default 50, at most 1000). */
  limit?: number;
  /** Cursor from a previous page. */
  cursor?: string | undefined;
}

/** Which messages `listMessages` returns. */
export interface MessageQuery {
  /**
   * `'last'` (default): the newest `limit` messages, returned oldest first, paging backwards;
   * `'first'`: from the start, paging forwards.
   */
  from?: 'first' | 'last';
  /** Page size (default 50, at most 1000). */
  limit?: number;
  /** Cursor from a previous page. */
  cursor?: string | undefined;
  /** Only messages whose metadata has every one of these key/value pairs. */
  metadata?: StoreMetadata;
}

/** Conversations. Every operation takes `StoreCallOptions` last (an `AbortSignal`). */
export interface ThreadStore {
  /** Creates a thread. */
  createThread(thread: NewThread, options?: StoreCallOptions): Promise<StoredThread>;
  /** The thread, or `undefined`. */
  getThread(threadId: string, options?: StoreCallOptions): Promise<StoredThread | undefined>;
  /** Changes the title and/or replaces the metadata; `not-found` when the thread does not exist. */
  updateThread(
    threadId: string,
    patch: { title?: string; metadata?: StoreMetadata },
    options?: StoreCallOptions,
  ): Promise<StoredThread>;
  /** Deletes a thread and its messages; no error when absent. */
  deleteThread(threadId: string, options?: StoreCallOptions): Promise<void>;
  /** Threads, most recently updated first. */
  listThreads(query?: ThreadQuery, options?: StoreCallOptions): Promise<Page<StoredThread>>;
  /**
   * Appends messages atomically and in order at the end of the thread (`not-found` when the thread does not
   * exist). Concurrent appends from several processes are serialised: none is lost, each batch stays contiguous.
   */
  appendMessages(
    threadId: string,
    messages: readonly NewMessage[],
    options?: StoreCallOptions,
  ): Promise<StoredMessage[]>;
  /** Messages of a thread in `seq` order, paged. */
  listMessages(threadId: string, query?: MessageQuery, options?: StoreCallOptions): Promise<Page<StoredMessage>>;
  /**
   * Saves the summary of the thread's messages up to `throughSeq` (`not-found` when the thread does not exist).
   * Resolves `false` and keeps the stored one when that already covers `throughSeq` or more, so of two
   * summarisers racing the one further along wins. Does not change the thread's `updatedAt`.
   */
  saveThreadSummary(
    threadId: string,
    summary: { text: string; throughSeq: number },
    options?: StoreCallOptions,
  ): Promise<boolean>;
}
