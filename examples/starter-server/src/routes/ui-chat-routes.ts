import {
  AgenticGenError,
  type AgentResult,
  type AgentRunState,
  type Citation,
  compileSchema,
  Type,
} from '@agenticgen/core';
import {
  createUIStreamRegistry,
  fromUIMessages,
  toUIMessageStream,
  type UIStreamRegistry,
  uiMessageStreamHeaders,
} from '@agenticgen/core/ui';
import type { Context } from 'hono';
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

/** Suspended runs kept for their approvals, per instance; the oldest is dropped beyond this. */
const maxSuspendedRuns = 1000;

/**
 * The starter's assistant cites `search_knowledge` passages as `[n]`, numbered in the order the searches
 * returned them; each cited passage becomes a source part.
 */
export function starterCitations(result: AgentResult): Citation[] {
  const passages = result.steps.flatMap((step) =>
    step.toolCalls.flatMap((call) =>
      call.toolName === 'search_knowledge' && !call.isError
        ? ((call.output as { results?: Array<{ documentId: string; source: string; chunk: number; text: string }> })
            .results ?? [])
        : [],
    ),
  );
  const cited = new Map<number, Citation>();
  for (const match of result.text.matchAll(/\[(\d{1,3})\]/g)) {
    const index = Number(match[1]);
    const passage = passages[index - 1];
    if (passage === undefined || cited.has(index)) continue;
    cited.set(index, {
      ref: String(index),
      source: passage.source,
      documentId: passage.documentId,
      chunkIndex: passage.chunk,
      text: passage.text,
    });
  }
  return [...cited.values()];
}

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
 *   approvals were answered resumes the suspended run;
 * - `GET /api/ui/chat/:id/stream[?from=N]` resumes the running answer (204 when none runs);
 * - `DELETE /api/ui/chat/:id/stream` cancels it, from any instance sharing the registry.
 */
export function registerUIChatRoutes(app: ApiApp, context: AppContext, options: UIChatRouteOptions = {}): void {
  const fallback = createUIStreamRegistry();
  const registry = () => (typeof options.streams === 'function' ? options.streams() : (options.streams ?? fallback));
  const suspended = new Map<string, { owner: string; state: AgentRunState }>();
  const limits = { bytes: context.config.limits.jsonBodyBytes, depth: context.config.limits.jsonDepth };
  // Streams are per token, so one user cannot resume or cancel another's answer.
  const streamKey = (c: Context, chatId: string) => `${c.var.owner}:${chatId}`;

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
    const pending = suspendedRunId === undefined ? undefined : suspended.get(suspendedRunId);
    const resuming = pending !== undefined && pending.owner === owner && Object.keys(approvals).length > 0;
    if (!resuming && messages.at(-1)?.role !== 'user')
      throw new AgenticGenError(
        'invalid-argument',
        '[server] the last message must be a user message or answer tool approvals',
      );
    const run =
      resuming && suspendedRunId !== undefined ? agent.resumeStream(pending.state, approvals) : agent.stream(messages);
    if (resuming && suspendedRunId !== undefined) suspended.delete(suspendedRunId);
    run.result.then(
      (result) => {
        if (result.state === undefined) return;
        suspended.set(result.runId, { owner, state: result.state });
        if (suspended.size > maxSuspendedRuns) suspended.delete(suspended.keys().next().value as string);
      },
      () => undefined,
    );
    const key = streamKey(c, body.id);
    const chunks = toUIMessageStream(run, { model: context.services.model.model.modelId, sources: starterCitations });
    const streams = registry();
    try {
      await streams.start(key, chunks);
    } catch (error) {
      await chunks.cancel();
      throw error;
    }
    const stream = await streams.resume(key, { from: 0, signal: c.req.raw.signal });
    return new Response(stream ?? null, { headers: uiMessageStreamHeaders });
  });

  app.get('/api/ui/chat/:id/stream', async (c) => {
    const id = c.req.param('id');
    if (!/^[a-zA-Z0-9_-]{1,100}$/.test(id)) throw new AgenticGenError('invalid-argument', '[server] invalid chat id');
    const fromText = c.req.query('from');
    const from = fromText === undefined ? undefined : Number(fromText);
    if (from !== undefined && !(Number.isInteger(from) && from >= 0))
      throw new AgenticGenError('invalid-argument', '[server] from must be a non-negative integer');
    const stream = await registry().resume(streamKey(c, id), {
      ...(from === undefined ? {} : { from }),
      signal: c.req.raw.signal,
    });
    if (stream === undefined) return c.body(null, 204);
    return new Response(stream, { headers: uiMessageStreamHeaders });
  });

  app.delete('/api/ui/chat/:id/stream', async (c) => {
    const id = c.req.param('id');
    if (!/^[a-zA-Z0-9_-]{1,100}$/.test(id)) throw new AgenticGenError('invalid-argument', '[server] invalid chat id');
    await registry().cancel(streamKey(c, id));
    return c.body(null, 204);
  });
}
