import { AgenticGenError, type ChatStreamPart } from '@agenticgen/core';
import type { StreamMapper } from './managed-stream.js';
import { SseDecoder, type SseEvent } from './sse-decoder.js';

/**
 * The events of a streaming response body, one array per network read. The official SDK made the request
 * (auth, headers, HTTP errors, which it maps before any body is read); only the successful body is read here.
 */
export async function* sseEventBatches(response: Response, scope: string): AsyncGenerator<SseEvent[]> {
  const body = response.body;
  if (body === null) {
    throw new AgenticGenError('invalid-response', `[${scope}] the provider answered a stream request without a body`);
  }
  const reader = body.getReader();
  const decoder = new SseDecoder();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const events: SseEvent[] = [];
      if (done) {
        finished = true;
        decoder.end(events);
        if (events.length > 0) yield events;
        return;
      }
      decoder.push(value, events);
      if (events.length > 0) yield events;
    }
  } finally {
    // Stopped early (consumer left, error): give the connection up rather than leave the body unread.
    if (!finished) reader.cancel().catch(() => undefined);
  }
}

/**
 * An error the provider reported inside a stream, shaped like the SDKs' API errors (`error` body, `headers`)
 * so `toProviderError` maps it exactly as it maps the same error returned over HTTP.
 */
export class ProviderStreamError extends Error {
  override readonly name = 'ProviderStreamError';
  constructor(
    readonly error: unknown,
    readonly headers: Headers,
  ) {
    const inner = (error as { error?: { message?: unknown }; message?: unknown } | null) ?? {};
    const message = inner.error?.message ?? inner.message;
    super(typeof message === 'string' ? message : 'the provider reported an error in the stream');
  }
}

/** What one SSE event means to a provider: a JSON event for its mapper, nothing (skip), or the end. */
export type SseReading<Event> = { event: Event } | 'skip' | 'end';

/**
 * Feeds each batch's events, read by the provider's rules, to the provider's own event mapper. After `end`
 * (OpenAI's `[DONE]`) later events are ignored, as the SDK ignores them.
 */
export class SseJsonMapper<Event> implements StreamMapper<SseEvent[]> {
  private ended = false;

  constructor(
    private readonly events: StreamMapper<Event>,
    private readonly read: (sse: SseEvent) => SseReading<Event>,
  ) {}

  push(batch: SseEvent[], out: ChatStreamPart[]): void {
    for (const sse of batch) {
      if (this.ended) return;
      const reading = this.read(sse);
      if (reading === 'skip') continue;
      if (reading === 'end') this.ended = true;
      else this.events.push(reading.event, out);
    }
  }

  end(out: ChatStreamPart[]): void {
    this.events.end(out);
  }
}

/**
 * Anthropic's Messages stream, read as `@anthropic-ai/sdk` reads it: `ping` and unnamed events are skipped,
 * an `error` event is the provider's error, every other named event is JSON.
 */
export function readAnthropicEvent<Event>(headers: Headers): (sse: SseEvent) => SseReading<Event> {
  return (sse) => {
    if (sse.event === undefined || sse.event === 'ping') return 'skip';
    if (sse.event === 'error') throw new ProviderStreamError(parseOrText(sse.data), headers);
    if (sse.data === '') return 'skip';
    return { event: JSON.parse(sse.data) as Event };
  };
}

/**
 * OpenAI's streams (Chat Completions and Responses), read as `openai` reads them: `[DONE]` ends the stream,
 * every event is JSON, and an `error` event or a payload with an `error` field is the provider's error.
 */
export function readOpenAIEvent<Event>(headers: Headers): (sse: SseEvent) => SseReading<Event> {
  return (sse) => {
    if (sse.data === '[DONE]') return 'end';
    const data = JSON.parse(sse.data) as { error?: unknown } | null;
    if (sse.event === 'error') throw new ProviderStreamError({ error: data?.error ?? data }, headers);
    if (data?.error) throw new ProviderStreamError({ error: data.error }, headers);
    return { event: data as Event };
  };
}

function parseOrText(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return { error: { message: data } };
  }
}
