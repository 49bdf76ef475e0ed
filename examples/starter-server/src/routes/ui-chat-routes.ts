import { AgenticGenError, compileSchema, Type } from '@agenticgen/core';
import {
  createUIStreamRegistry,
  fromUIMessages,
  toUIMessageStream,
  type UIStreamRegistry,
  uiMessageStreamHeaders,
} from '@agenticgen/core/ui';
import type { ChatRunStream } from '../chat/chat-runs.ts';
import { loadChatUIMessages, threadIdOf } from '../chat/chat-threads.ts';
import { starterCitations } from '../chat/starter-citations.ts';
import type { AppContext } from '../context.ts';
import { jsonBody, validBody } from '../http/body.ts';
import type { ApiApp } from '../http/env.ts';

/** Chat ids as `useChat` generates them (and as the reconnect URL carries them). */
const ChatId = Type.String({ minLength: 1, maxLength: 100, pattern: '^[a-zA-Z0-9_-]+$' });

/** DefaultChatTransport's POST body: `{ id, messages, trigger, messageId }` plus the page's own `body` fields. */
const uiChatBody = compileSchema(
  Type.Object(
    {
      id: ChatId,
      messages: Type.Unknown(),
      trigger: Type.Optional(Type.Union([Type.Literal('submit-message'), Type.Literal('regenerate-message')])),
      messageId: Type.Optional(Type.String({ maxLength: 200 })),
      agent: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    },
    { additionalProperties: false },
  ),
);

export interface UIChatRouteOptions {
  /**
   * Where answers are recorded for resume and cancel (default: in memory, this instance only). A function is
   * asked on every request (the starter swaps in a Redis-backed registry once Redis is connected).
   */
  streams?: UIStreamRegistry | (() => UIStreamRegistry);
}

/**
 * The chat in the AI SDK UI message stream protocol, for `useChat` with its default transport
 * (`api: '/api/ui/chat'`) and for core's `createChatClient`:
 * - `POST /api/ui/chat` takes `{ id, messages: UIMessage[] }` and streams the answer; a message whose tool
 *   approvals were answered resumes the suspended run (kept in the store, so any instance can);
 * - `GET /api/ui/chat/:id/messages` returns the chat's thread from the store as `{ messages: UIMessage[] }`;
 * - `DELETE /api/ui/chat/:id` stops its answer and deletes the thread;
 * - `GET /api/ui/chat/:id/stream[?from=N]` resumes the running answer (204 when none runs);
 * - `DELETE /api/ui/chat/:id/stream` cancels it, from any instance sharing the registry.
 */
export function registerUIChatRoutes(app: ApiApp, context: AppContext, options: UIChatRouteOptions = {}): void {
  const fallback = createUIStreamRegistry();
  const registry = () => (typeof options.streams === 'function' ? options.streams() : (options.streams ?? fallback));
  const limits = { bytes: context.config.limits.jsonBodyBytes, depth: context.config.limits.jsonDepth };
  const { store } = context.services;

  app.post('/api/ui/chat', ...jsonBody(uiChatBody, 'chat request', limits), async (c) => {
    const body = validBody(c, uiChatBody);
    const agentName = body.agent ?? 'assistant';
    const agent = context.agents.get(agentName);
    if (agent === undefined)
      throw new AgenticGenError(
        'not-found',
        `[server] no agent named ${JSON.stringify(agentName)}; GET /api/agents lists them`,
      );
    const { messages, approvals, suspendedRunId } = fromUIMessages(body.messages);
    const owner = c.var.owner;
    const answering = Object.keys(approvals).length > 0 && suspendedRunId !== undefined;
    if (!answering && messages.at(-1)?.role !== 'user')
      throw new AgenticGenError(
        'invalid-argument',
        '[server] the last message must be a user message or answer tool approvals',
      );
    const run =
      answering && suspendedRunId !== undefined
        ? await context.chatRuns.resumeApproval({ agent, owner, chatId: body.id, runId: suspendedRunId, approvals })
        : await context.chatRuns.start({ agent, owner, chatId: body.id, messages });
    const key = streamKeyOf(owner, body.id);
    const streams = registry();
    await record(streams, run, context);
    const stream = await streams.resume(key, { from: 0, signal: c.req.raw.signal });
    return new Response(stream ?? null, { headers: uiMessageStreamHeaders });
  });

  app.get('/api/ui/chat/:id/messages', async (c) => {
    const id = chatIdParam(c.req.param('id'));
    const thread = await store.getThread(threadIdOf(c.var.owner, id));
    return c.json({ messages: thread === undefined ? [] : await loadChatUIMessages(store, thread) });
  });

  app.delete('/api/ui/chat/:id', async (c) => {
    const id = chatIdParam(c.req.param('id'));
    await registry().cancel(streamKeyOf(c.var.owner, id));
    await store.deleteThread(threadIdOf(c.var.owner, id));
    return c.body(null, 204);
  });

  app.get('/api/ui/chat/:id/stream', async (c) => {
    const id = chatIdParam(c.req.param('id'));
    const fromText = c.req.query('from');
    const from = fromText === undefined ? undefined : Number(fromText);
    if (from !== undefined && !(Number.isInteger(from) && from >= 0))
      throw new AgenticGenError('invalid-argument', '[server] from must be a non-negative integer');
    const stream = await registry().resume(streamKeyOf(c.var.owner, id), {
      ...(from === undefined ? {} : { from }),
      signal: c.req.raw.signal,
    });
    if (stream === undefined) return c.body(null, 204);
    return new Response(stream, { headers: uiMessageStreamHeaders });
  });

  app.delete('/api/ui/chat/:id/stream', async (c) => {
    const id = chatIdParam(c.req.param('id'));
    await registry().cancel(streamKeyOf(c.var.owner, id));
    return c.body(null, 204);
  });
}

/** Streams are per token, so one user cannot resume or cancel another's answer. */
const streamKeyOf = (owner: string, chatId: string) => `${owner}:${chatId}`;

function chatIdParam(id: string | undefined): string {
  if (id === undefined || !/^[a-zA-Z0-9_-]{1,100}$/.test(id))
    throw new AgenticGenError('invalid-argument', '[server] invalid chat id');
  return id;
}

/** Records an answer in the registry, where the page (or a page that reloads, on any instance) reads it. */
async function record(streams: UIStreamRegistry, run: ChatRunStream, context: AppContext): Promise<void> {
  const chunks = toUIMessageStream(run.events, {
    model: context.services.model.model.modelId,
    sources: starterCitations,
  });
  try {
    await streams.start(streamKeyOf(run.owner, run.chatId), chunks);
  } catch (error) {
    await chunks.cancel();
    throw error;
  }
}

/**
 * After a restart: continues the chat answers the previous process left unfinished, recorded as if they had
 * just started, so a page that reloads (`GET /api/ui/chat/:id/stream`) gets the answer. Returns how many.
 */
export async function resumeInterruptedChats(context: AppContext, streams: UIStreamRegistry): Promise<number> {
  const runs = await context.chatRuns.resumeInterrupted();
  for (const run of runs) await record(streams, run, context);
  return runs.length;
}
