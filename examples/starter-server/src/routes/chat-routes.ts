import { AgenticGenError, compileSchema, Type } from '@agenticgen/core';
import { agentConfigBody } from '../agents/agent-service.ts';
import { type AppContext, startChatRun, startRun } from '../context.ts';
import { ChatTurnSchema } from '../gateway/messages.ts';
import { readJson } from '../http/body.ts';
import { sendJson } from '../http/errors.ts';
import type { Router } from '../http/router.ts';
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
export function registerChatRoutes(router: Router, context: AppContext): void {
  const limit = context.config.limits.jsonBodyBytes;
  router.add({
    method: 'POST',
    path: '/api/chat',
    async handler({ request, response }) {
      const body = await readJson(request, chatBody, limit, 'chat request');
      await respondWithRun(response, wantsStream(request, body), (onEvent, signal) =>
        startChatRun(context, body.messages, { onEvent, room: body.room, signal }),
      );
    },
  });
  router.add({
    method: 'GET',
    path: '/api/agents',
    handler: ({ response }) => sendJson(response, 200, { agents: context.agents.list() }),
  });
  router.add({
    method: 'POST',
    path: '/api/agents',
    async handler({ request, response }) {
      const config = await readJson(request, agentConfigBody, limit, 'agent config');
      sendJson(response, 201, { agent: context.agents.create(config) });
    },
  });
  router.add({
    method: 'POST',
    path: '/api/agents/:name/run',
    async handler({ request, response, params }) {
      const body = await readJson(request, agentRunBody, limit, 'agent run request');
      const name = params.name ?? '';
      if (!context.agents.has(name)) {
        throw new AgenticGenError('not-found', `[server] no agent named "${name}"; GET /api/agents lists them`);
      }
      await respondWithRun(response, wantsStream(request, body), (onEvent, signal) =>
        startRun(
          context,
          'agent',
          ({ signal: runSignal, emit }) => context.agents.run(name, body.input, { signal: runSignal, emit }),
          {
            onEvent,
            room: body.room,
            signal,
          },
        ),
      );
    },
  });
}
