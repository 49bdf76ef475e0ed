import { AgenticGenError, compileSchema, Type } from '@agenticgen/core';
import { type AppContext, specExecutor, startRun } from '../context.ts';
import { readJson } from '../http/body.ts';
import { featureUnavailable, sendJson } from '../http/errors.ts';
import type { Router } from '../http/router.ts';
import { respondWithRun, wantsStream } from './run-response.ts';

const compareBody = compileSchema(
  Type.Object(
    {
      prompt: Type.String({ minLength: 1, maxLength: 32_000 }),
      models: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { minItems: 1, maxItems: 10 })),
      maxOutputTokens: Type.Integer({ minimum: 1, maximum: 8192, default: 512 }),
    },
    { additionalProperties: false },
  ),
);

const collaborationBody = compileSchema(
  Type.Object(
    {
      task: Type.String({ minLength: 1, maxLength: 32_000 }),
      stream: Type.Optional(Type.Boolean()),
      room: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9_.:-]+$' })),
    },
    { additionalProperties: false },
  ),
);

/** Model comparison and the collaboration task (a supervisor with a researcher and a coder). */
export function registerWorkflowRoutes(router: Router, context: AppContext): void {
  router.add({
    method: 'POST',
    path: '/api/collaboration',
    async handler({ request, response }) {
      const body = await readJson(
        request,
        collaborationBody,
        context.config.limits.jsonBodyBytes,
        'collaboration request',
      );
      await respondWithRun(response, wantsStream(request, body), (onEvent, signal) =>
        startRun(context, 'collaboration', specExecutor(context, { kind: 'collaboration', task: body.task }), {
          onEvent,
          room: body.room,
          signal,
        }),
      );
    },
  });
  router.add({
    method: 'GET',
    path: '/api/models',
    handler: ({ response }) =>
      sendJson(response, 200, {
        models: context.services.comparisonModels.map((choice) => ({
          label: choice.label,
          provider: choice.model.provider,
          modelId: choice.model.modelId,
          offlineDemo: choice.offlineDemo,
        })),
      }),
  });
  router.add({
    method: 'POST',
    path: '/api/models/compare',
    async handler({ request, response }) {
      const body = await readJson(request, compareBody, context.config.limits.jsonBodyBytes, 'compare request');
      if (context.services.features.compare?.available !== true) {
        throw featureUnavailable('compare', context.services.features.compare?.detail ?? 'not configured');
      }
      const all = context.services.comparisonModels;
      const chosen = body.models === undefined ? all : all.filter((choice) => body.models?.includes(choice.label));
      if (chosen.length === 0) {
        throw new AgenticGenError(
          'invalid-argument',
          `[server] none of the requested models exist; available: ${all.map((choice) => choice.label).join(', ')}`,
        );
      }
      const { compareChoices } = await import('./workflow-compare.ts');
      sendJson(response, 200, await compareChoices(chosen, body.prompt, body.maxOutputTokens));
    },
  });
}
