import { AgenticGenError, compileSchema, Type } from '@agenticgen/core';
import { type AppContext, requireRunQueue, specExecutor, startRun } from '../context.ts';
import { jsonBody, validBody } from '../http/body.ts';
import type { ApiApp } from '../http/env.ts';
import { featureUnavailable } from '../http/errors.ts';
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
export function registerWorkflowRoutes(app: ApiApp, context: AppContext): void {
  const limits = { bytes: context.config.limits.jsonBodyBytes, depth: context.config.limits.jsonDepth };
  app.post('/api/collaboration', ...jsonBody(collaborationBody, 'collaboration request', limits), (c) => {
    const body = validBody(c, collaborationBody);
    requireRunQueue(context);
    return respondWithRun(c, wantsStream(c, body), (onEvent, signal) =>
      startRun(context, 'collaboration', specExecutor(context, { kind: 'collaboration', task: body.task }), {
        onEvent,
        room: body.room,
        signal,
        owner: c.var.owner,
      }),
    );
  });
  app.get('/api/models', (c) =>
    c.json({
      models: context.services.comparisonModels.map((choice) => ({
        label: choice.label,
        provider: choice.model.provider,
        modelId: choice.model.modelId,
        offlineDemo: choice.offlineDemo,
      })),
    }),
  );
  app.post('/api/models/compare', ...jsonBody(compareBody, 'compare request', limits), async (c) => {
    const body = validBody(c, compareBody);
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
    const release = context.runLimiter.acquire(c.var.owner);
    try {
      const { compareChoices } = await import('./workflow-compare.ts');
      return c.json(await compareChoices(chosen, body.prompt, body.maxOutputTokens));
    } finally {
      release();
    }
  });
}
