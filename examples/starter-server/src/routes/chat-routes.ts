import { AgenticGenError, compileSchema, Type } from '@agenticgen/core';
import { agentConfigBody } from '../agents/agent-service.ts';
import { type AppContext, startChatRun, startRun } from '../context.ts';
import { ChatTurnSchema } from '../gateway/messages.ts';
import { jsonBody, validBody } from '../http/body.ts';
import type { ApiApp } from '../http/env.ts';
import { respondWithRun, wantsStream } from './run-response.ts';

const RoomName = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9_.:-]+$' });

const chatBody = compileSchema(
  Type.Object(
    {
      messages: Type.Array(ChatTurnSchema, { minItems: 1, maxItems: 200 }),
      stream: Type.Optional(Type.Boolean()),
      room: Type.Optional(RoomName),
    },
    { additionalProperties: false },
  ),
);

const agentRunBody = compileSchema(
  Type.Object(
    {
      input: Type.String({ minLength: 1, maxLength: 32_000 }),
      stream: Type.Optional(Type.Boolean()),
      room: Type.Optional(RoomName),
    },
    { additionalProperties: false },
  ),
);

/** Chat and agents: `POST /api/chat`, `GET/POST /api/agents`, `POST /api/agents/:name/run`. */
export function registerChatRoutes(app: ApiApp, context: AppContext): void {
  const limits = { bytes: context.config.limits.jsonBodyBytes, depth: context.config.limits.jsonDepth };
  app.post('/api/chat', ...jsonBody(chatBody, 'chat request', limits), (c) => {
    const body = validBody(c, chatBody);
    return respondWithRun(c, wantsStream(c, body), (onEvent, signal) =>
      startChatRun(context, body.messages, { onEvent, room: body.room, signal, owner: c.var.owner }),
    );
  });
  app.get('/api/agents', (c) => c.json({ agents: context.agents.list() }));
  app.post('/api/agents', ...jsonBody(agentConfigBody, 'agent config', limits), (c) =>
    c.json({ agent: context.agents.create(validBody(c, agentConfigBody)) }, 201),
  );
  app.post('/api/agents/:name/run', ...jsonBody(agentRunBody, 'agent run request', limits), (c) => {
    const body = validBody(c, agentRunBody);
    const name = c.req.param('name') ?? '';
    if (!context.agents.has(name)) {
      throw new AgenticGenError(
        'not-found',
        `[server] no agent named ${JSON.stringify(name.slice(0, 64))}; GET /api/agents lists them`,
      );
    }
    return respondWithRun(c, wantsStream(c, body), (onEvent, signal) =>
      startRun(
        context,
        'agent',
        ({ signal: runSignal, emit }) => context.agents.run(name, body.input, { signal: runSignal, emit }),
        { onEvent, room: body.room, signal, owner: c.var.owner },
      ),
    );
  });
}
