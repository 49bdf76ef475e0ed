import { type Citation, citationsOf } from '../agents/presets/research-agent.js';
import type { AgentEvent, AgentResult } from '../agents/types.js';
import type { ChatStreamPart, FinishReason, Usage } from '../contracts/chat-model.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import {
  type AgenticGenMessageMetadata,
  createUIMessageSseStream,
  encodeUIMessageChunk,
  type UIFinishReason,
  type UIMessageChunk,
  uiMessageStreamDone,
  uiMessageStreamHeaders,
} from './ui-message-chunk.js';

/** What `toUIMessageStream` accepts: an agent run (`agent.stream()`), or a model's `stream()` parts. */
export type UIMessageStreamSource = AsyncIterable<AgentEvent> | AsyncIterable<ChatStreamPart>;

export interface ToUIMessageStreamOptions {
  /** The assistant message id sent in `start` (default: a random UUID). */
  messageId?: string;
  /** The model id written in the message metadata (a model stream reports its own). */
  model?: string;
  /** Ends the stream with an `abort` chunk and cancels the source. */
  signal?: AbortSignal;
  /**
   * Turns a failure into the `errorText` the client sees. Default: `[code] message` of an AgenticGenError
   * (whose messages never carry unbounded input), a generic text for `internal` errors and anything else.
   */
  errorText?: (error: unknown) => string;
  /** The sources cited by a finished run, sent as `source-url` / `source-document` (default: `citationsOf`). */
  sources?: (result: AgentResult) => readonly Citation[];
}

const maxErrorTextLength = 500;

function defaultErrorText(error: unknown): string {
  // `internal` wraps foreign errors, whose messages may carry paths or secrets: the browser gets none of it.
  if (AgenticGenError.isInstance(error) && error.code !== 'internal')
    return `[${error.code}] ${error.message}`.slice(0, maxErrorTextLength);
  return 'An error occurred.';
}

function uiFinishReason(reason: FinishReason): UIFinishReason {
  return reason;
}

function runFinishReason(result: AgentResult): UIFinishReason {
  if (result.status === 'suspended') return 'tool-calls';
  if (result.stopReason === 'max-steps') return 'length';
  return result.stopReason === 'stop' ? 'stop' : 'other';
}

/** The text a client shows for a failed tool call: the structured error's message when there is one. */
function toolErrorText(output: unknown): string {
  const error = (output as { error?: { message?: unknown } } | null)?.error;
  const text = typeof error?.message === 'string' ? error.message : JSON.stringify(output ?? null);
  return text.slice(0, maxErrorTextLength);
}

function toolErrorCode(output: unknown): unknown {
  return (output as { error?: { code?: unknown } } | null)?.error?.code;
}

function citationChunk(citation: Citation): UIMessageChunk {
  if (/^https?:\/\//i.test(citation.source))
    return { type: 'source-url', sourceId: citation.ref, url: citation.source, title: citation.source };
  return { type: 'source-document', sourceId: citation.ref, mediaType: 'text/plain', title: citation.source };
}

/**
 * Translates agent events or model stream parts into UI message chunks. Keeps the open text/reasoning block so
 * each gets exactly one start and one end, as the protocol requires.
 */
class ChunkTranslator {
  private open: { kind: 'text' | 'reasoning'; id: string } | undefined;
  private blockCount = 0;
  private stepOpen = false;
  private readonly announcedTools = new Set<string>();
  private readonly availableTools = new Set<string>();
  private usage: Usage | undefined;
  private model: string | undefined;
  private runId: string | undefined;
  ended = false;

  constructor(
    private readonly options: ToUIMessageStreamOptions,
    private readonly messageId: string,
  ) {
    this.model = options.model;
  }

  start(): UIMessageChunk[] {
    return [{ type: 'start', messageId: this.messageId }];
  }

  private metadata(): AgenticGenMessageMetadata {
    const metadata: AgenticGenMessageMetadata = {};
    if (this.runId !== undefined) metadata.runId = this.runId;
    if (this.model !== undefined) metadata.model = this.model;
    if (this.usage !== undefined) metadata.usage = this.usage;
    return metadata;
  }

  private closeBlock(out: UIMessageChunk[]): void {
    if (this.open === undefined) return;
    out.push({ type: this.open.kind === 'text' ? 'text-end' : 'reasoning-end', id: this.open.id });
    this.open = undefined;
  }

  private delta(kind: 'text' | 'reasoning', delta: string, out: UIMessageChunk[]): void {
    this.openStep(out);
    if (this.open?.kind !== kind) {
      this.closeBlock(out);
      this.blockCount += 1;
      this.open = { kind, id: `${kind}-${this.blockCount}` };
      out.push({ type: kind === 'text' ? 'text-start' : 'reasoning-start', id: this.open.id });
    }
    out.push({ type: kind === 'text' ? 'text-delta' : 'reasoning-delta', id: this.open.id, delta });
  }

  private openStep(out: UIMessageChunk[]): void {
    if (this.stepOpen) return;
    this.stepOpen = true;
    out.push({ type: 'start-step' });
  }

  private finishStep(out: UIMessageChunk[]): void {
    this.closeBlock(out);
    if (!this.stepOpen) return;
    this.stepOpen = false;
    out.push({ type: 'finish-step' });
  }

  private toolInputStart(toolCallId: string, toolName: string, out: UIMessageChunk[]): void {
    if (this.announcedTools.has(toolCallId)) return;
    this.openStep(out);
    this.closeBlock(out);
    this.announcedTools.add(toolCallId);
    out.push({ type: 'tool-input-start', toolCallId, toolName });
  }

  private toolInputAvailable(toolCallId: string, toolName: string, input: unknown, out: UIMessageChunk[]): void {
    this.toolInputStart(toolCallId, toolName, out);
    if (this.availableTools.has(toolCallId)) return;
    this.availableTools.add(toolCallId);
    out.push({ type: 'tool-input-available', toolCallId, toolName, input: input ?? {} });
  }

  private finish(reason: UIFinishReason, out: UIMessageChunk[]): void {
    this.finishStep(out);
    out.push({ type: 'finish', finishReason: reason, messageMetadata: this.metadata() });
    this.ended = true;
  }

  translate(item: AgentEvent | ChatStreamPart): UIMessageChunk[] {
    const out: UIMessageChunk[] = [];
    switch (item.type) {
      case 'run-start':
        this.runId = item.runId;
        out.push({ type: 'message-metadata', messageMetadata: this.metadata() });
        break;
      case 'response-start':
        this.model = item.modelId;
        out.push({ type: 'message-metadata', messageMetadata: this.metadata() });
        break;
      case 'step-start':
        this.openStep(out);
        break;
      case 'text-delta':
        if (item.delta !== '') this.delta('text', item.delta, out);
        break;
      case 'reasoning-delta':
        if (item.delta !== '') this.delta('reasoning', item.delta, out);
        break;
      case 'tool-call-start':
      case 'tool-input-start':
        this.toolInputStart(item.toolCallId, item.toolName, out);
        break;
      case 'tool-input-delta':
        if (this.announcedTools.has(item.toolCallId) && item.delta !== '')
          out.push({ type: 'tool-input-delta', toolCallId: item.toolCallId, inputTextDelta: item.delta });
        break;
      case 'tool-call-delta':
        if (this.announcedTools.has(item.toolCallId) && item.argumentsDelta !== '')
          out.push({ type: 'tool-input-delta', toolCallId: item.toolCallId, inputTextDelta: item.argumentsDelta });
        break;
      case 'tool-call-end':
      case 'tool-call':
        this.toolInputAvailable(item.toolCallId, item.toolName, item.input, out);
        break;
      case 'tool-approval-request':
        this.toolInputAvailable(item.toolCallId, item.toolName, item.input, out);
        out.push({ type: 'tool-approval-request', approvalId: item.toolCallId, toolCallId: item.toolCallId });
        break;
      case 'tool-result':
        this.toolInputAvailable(item.toolCallId, item.toolName, item.input, out);
        if (item.isError && toolErrorCode(item.output) === 'tool-denied')
          out.push({ type: 'tool-output-denied', toolCallId: item.toolCallId });
        else if (item.isError)
          out.push({ type: 'tool-output-error', toolCallId: item.toolCallId, errorText: toolErrorText(item.output) });
        else out.push({ type: 'tool-output-available', toolCallId: item.toolCallId, output: item.output ?? null });
        break;
      case 'guardrail-tripped':
        out.push({
          type: 'data-guardrail',
          data: { guardrail: item.guardrail, kind: item.kind, reason: item.reason.slice(0, maxErrorTextLength) },
        });
        break;
      case 'step-finish':
        this.finishStep(out);
        break;
      case 'usage':
        this.usage = item.usage;
        break;
      case 'finish':
        this.usage = item.usage;
        this.finish(uiFinishReason(item.finishReason), out);
        break;
      case 'run-finish':
        this.runFinish(item.result, out);
        break;
      case 'run-error':
        this.finishStep(out);
        out.push({ type: 'error', errorText: this.errorText(AgenticGenError.fromJSON(item.error)) });
        this.ended = true;
        break;
    }
    return out;
  }

  private runFinish(result: AgentResult, out: UIMessageChunk[]): void {
    this.finishStep(out);
    this.usage = result.usage;
    for (const citation of (this.options.sources ?? citationsOf)(result)) out.push(citationChunk(citation));
    if (result.status === 'suspended') {
      out.push({
        type: 'data-suspended',
        id: `suspended-${result.runId}`,
        data: {
          runId: result.runId,
          pendingApprovals: result.pendingApprovals.map(({ toolCallId, toolName }) => ({ toolCallId, toolName })),
        },
      });
    }
    this.finish(runFinishReason(result), out);
  }

  errorText(error: unknown): string {
    return (this.options.errorText ?? defaultErrorText)(error);
  }

  /** Closes what is open when the source fails or is aborted. */
  fail(error: unknown): UIMessageChunk[] {
    const out: UIMessageChunk[] = [];
    this.finishStep(out);
    out.push({ type: 'error', errorText: this.errorText(error) });
    this.ended = true;
    return out;
  }

  abort(): UIMessageChunk[] {
    const out: UIMessageChunk[] = [];
    this.finishStep(out);
    out.push({ type: 'abort', reason: 'aborted' });
    this.ended = true;
    return out;
  }
}

/**
 * An agent run or a model stream as a stream of UI message chunks (AI SDK UI message stream protocol v1).
 * Cancelling the returned stream (the client went away) cancels the run.
 */
export function toUIMessageStream(
  source: UIMessageStreamSource,
  options: ToUIMessageStreamOptions = {},
): ReadableStream<UIMessageChunk> {
  return translatedStream<UIMessageChunk>(source, options, (chunks, controller) => {
    for (const chunk of chunks) controller.enqueue(chunk);
  });
}

const sseEncoder = new TextEncoder();
const sseDone = sseEncoder.encode(uiMessageStreamDone);

/**
 * The UI message stream as SSE bytes in one stream stage: the chunks of one source item are framed and encoded
 * together (the same bytes as `toUIMessageSseBytes(toUIMessageStream(...))`, with fewer hops per part).
 */
export function toUIMessageSseStream(
  source: UIMessageStreamSource,
  options: ToUIMessageStreamOptions = {},
): ReadableStream<Uint8Array> {
  return translatedStream<Uint8Array>(
    source,
    options,
    (chunks, controller) => {
      let text = '';
      for (const chunk of chunks) text += encodeUIMessageChunk(chunk);
      if (text !== '') controller.enqueue(sseEncoder.encode(text));
    },
    (controller) => controller.enqueue(sseDone),
  );
}

/** Pulls the source, translates each item and hands the chunks to `write`; `end` runs before closing. */
function translatedStream<T>(
  source: UIMessageStreamSource,
  options: ToUIMessageStreamOptions,
  write: (chunks: readonly UIMessageChunk[], controller: ReadableStreamDefaultController<T>) => void,
  end?: (controller: ReadableStreamDefaultController<T>) => void,
): ReadableStream<T> {
  const translator = new ChunkTranslator(options, options.messageId ?? crypto.randomUUID());
  const iterator = (source as AsyncIterable<AgentEvent | ChatStreamPart>)[Symbol.asyncIterator]();
  const { signal } = options;
  let stopped = false;
  let closed = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    void iterator.return?.().catch(() => undefined);
  };
  signal?.addEventListener('abort', stop, { once: true });
  return new ReadableStream<T>({
    start(controller) {
      write(translator.start(), controller);
    },
    // Loops until it enqueues something: a pull that enqueues nothing is not called again by the stream.
    async pull(controller) {
      for (;;) {
        const chunks = await nextChunks();
        write(chunks, controller);
        if (translator.ended && closed) {
          end?.(controller);
          controller.close();
          return;
        }
        if (chunks.length > 0) return;
      }
    },
    cancel() {
      stop();
    },
  });

  async function nextChunks(): Promise<UIMessageChunk[]> {
    if (signal?.aborted) {
      stop();
      closed = true;
      return translator.ended ? [] : translator.abort();
    }
    let next: IteratorResult<AgentEvent | ChatStreamPart>;
    try {
      next = await iterator.next();
    } catch (error) {
      closed = true;
      if (translator.ended) return []; // a run-error event already reported what the iterator rethrows
      return signal?.aborted ? translator.abort() : translator.fail(error);
    }
    if (next.done || translator.ended) {
      stop();
      closed = true;
      if (translator.ended) return [];
      return signal?.aborted ? translator.abort() : translator.fail(unexpectedEnd());
    }
    if (signal?.aborted) {
      stop();
      closed = true;
      return translator.abort();
    }
    return translator.translate(next.value);
  }
}

function unexpectedEnd(): AgenticGenError {
  return new AgenticGenError('invalid-response', '[ui] the stream ended before a finish part');
}

export interface ToUIMessageStreamResponseOptions extends ToUIMessageStreamOptions {
  /** HTTP status (default 200). */
  status?: number;
  /** Extra response headers (the protocol's headers are always set). */
  headers?: Record<string, string>;
}

/** SSE text of a chunk stream, ending with `data: [DONE]`, as UTF-8 bytes. */
export function toUIMessageSseBytes(chunks: ReadableStream<UIMessageChunk>): ReadableStream<Uint8Array> {
  return chunks.pipeThrough(createUIMessageSseStream()).pipeThrough(new TextEncoderStream());
}

/** A `Response` carrying the UI message stream as SSE with the protocol's headers (Fetch API: Hono, Next.js, Bun, Deno). */
export function toUIMessageStreamResponse(
  source: UIMessageStreamSource,
  options: ToUIMessageStreamResponseOptions = {},
): Response {
  return new Response(toUIMessageSseStream(source, options), {
    status: options.status ?? 200,
    headers: { ...options.headers, ...uiMessageStreamHeaders },
  });
}
