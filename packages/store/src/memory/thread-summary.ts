/**
 * Summaries of a thread's older turns for conversation memory: the messages that fell out of the loaded window
 * are folded, batch by batch, into one running summary written by a `ChatModel` and saved with the thread
 * (`ThreadStore.saveThreadSummary`). Each batch costs one model call; the summary is only ever extended, never
 * rebuilt from the start.
 */
import {
  type ChatMessage,
  type ChatModel,
  type StoredMessage,
  storeLimits,
  type ThreadStore,
  type ThreadSummary,
} from '@agenticgen/core';
import { storeError } from '../errors.js';

export interface ThreadSummaryOptions {
  /** Writes the summaries. */
  model: ChatModel;
  /** The summariser's system prompt (default: {@link defaultSummaryInstructions}). */
  instructions?: string;
  /** Longest summary kept, in characters; a longer answer is cut (default 4000, at most `storeLimits.maxSummaryLength`). */
  maxLength?: number;
  /** Older messages folded in by one model call (default 50, 1 to 1000). */
  batchSize?: number;
  /**
   * Model calls one `load` makes at most (default 4, 1 to 100). A longer backlog (a long thread summarised for
   * the first time) is caught up over the next loads.
   */
  maxCallsPerLoad?: number;
}

export const defaultSummaryInstructions =
  'You keep a running summary of a conversation between a user and an assistant. Given the summary so far and ' +
  'the messages that follow it, answer with the updated summary only: facts about the user, decisions, open ' +
  'questions and results of tool calls that later turns may need. Be concise.';

/** Longest rendering of one tool input or output in the transcript sent to the summariser. */
const maxToolTextLength = 500;

interface CheckedSummaryOptions {
  model: ChatModel;
  instructions: string;
  maxLength: number;
  batchSize: number;
  maxCallsPerLoad: number;
}

const integerIn = (value: number | undefined, fallback: number, low: number, high: number, what: string) => {
  const chosen = value ?? fallback;
  if (!(Number.isInteger(chosen) && chosen >= low && chosen <= high)) {
    throw storeError('invalid-config', `summary.${what} must be an integer from ${low} to ${high}`);
  }
  return chosen;
};

export function checkSummaryOptions(options: ThreadSummaryOptions): CheckedSummaryOptions {
  if (typeof options?.model?.generate !== 'function') {
    throw storeError('invalid-config', 'summary.model must be a ChatModel');
  }
  return {
    model: options.model,
    instructions: options.instructions ?? defaultSummaryInstructions,
    maxLength: integerIn(options.maxLength, 4000, 1, storeLimits.maxSummaryLength, 'maxLength'),
    batchSize: integerIn(options.batchSize, 50, 1, storeLimits.maxPageSize, 'batchSize'),
    maxCallsPerLoad: integerIn(options.maxCallsPerLoad, 4, 1, 100, 'maxCallsPerLoad'),
  };
}

const clip = (text: string, length: number) => (text.length > length ? `${text.slice(0, length)}…` : text);
const json = (value: unknown) => clip(JSON.stringify(value) ?? 'null', maxToolTextLength);

/** One line per message: what the summariser reads. */
function transcriptLine(message: ChatMessage): string {
  if (typeof message.content === 'string') return `${message.role}: ${message.content}`;
  const parts = message.content.map((part) => {
    switch (part.type) {
      case 'text':
        return part.text;
      case 'image':
        return '[image]';
      case 'tool-call':
        return `[called ${part.toolName}(${json(part.input)})]`;
      case 'tool-result':
        return `[${part.toolName} ${part.isError === true ? 'failed' : 'returned'} ${json(part.output)}]`;
      default:
        return '';
    }
  });
  return `${message.role}: ${parts.filter((part) => part !== '').join(' ')}`;
}

/** The summary as the system message placed before the loaded window. */
export function summaryMessage(summary: ThreadSummary): ChatMessage {
  return { role: 'system', content: `Summary of the earlier conversation:\n${summary.text}` };
}

/**
 * Brings the thread's summary up to the message before `boundarySeq` (the first message of the loaded window),
 * at most `maxCallsPerLoad` model calls; returns the summary to show (possibly still behind on a long backlog).
 */
export async function catchUpSummary(
  store: ThreadStore,
  threadId: string,
  current: ThreadSummary | undefined,
  boundarySeq: number,
  options: CheckedSummaryOptions,
): Promise<ThreadSummary | undefined> {
  let summary = current;
  for (let call = 0; call < options.maxCallsPerLoad; call++) {
    const through = summary?.throughSeq ?? 0;
    const missing = boundarySeq - 1 - through;
    if (missing <= 0) break;
    const page = await store.listMessages(threadId, {
      from: 'first',
      limit: Math.min(options.batchSize, missing),
      ...(through === 0 ? {} : { cursor: String(through) }),
    });
    const batch: StoredMessage[] = page.items.filter((item) => item.seq < boundarySeq);
    const last = batch[batch.length - 1];
    if (last === undefined) break;
    const previous = summary === undefined ? '' : `Summary so far:\n${summary.text}\n\n`;
    const response = await options.model.generate({
      messages: [
        { role: 'system', content: options.instructions },
        {
          role: 'user',
          content: `${previous}Messages that follow:\n${batch.map((item) => transcriptLine(item.message)).join('\n')}`,
        },
      ],
    });
    const text = response.text.trim().slice(0, options.maxLength);
    // An empty answer would erase what the summary knew: keep the old one and stop until the next load.
    if (text === '') break;
    if (await store.saveThreadSummary(threadId, { text, throughSeq: last.seq })) {
      summary = { text, throughSeq: last.seq, updatedAt: Date.now() };
    } else {
      // Another process summarised further meanwhile: go on from its summary.
      summary = (await store.getThread(threadId))?.summary;
    }
  }
  return summary;
}
