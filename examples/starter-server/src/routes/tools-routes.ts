import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AgenticGenError, compileSchema, Type } from '@agenticgen/core';
import type { AppContext } from '../context.ts';
import { readBody, readJson } from '../http/body.ts';
import { featureUnavailable, sendJson } from '../http/errors.ts';
import type { Router } from '../http/router.ts';
import type { PythonService } from '../services/types.ts';

const pythonBody = compileSchema(
  Type.Object(
    {
      code: Type.String({ minLength: 1, maxLength: 100_000 }),
      sessionId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
      timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 120_000 })),
    },
    { additionalProperties: false },
  ),
);

const sqlBody = compileSchema(
  Type.Object(
    {
      file: Type.String({ minLength: 1, maxLength: 200 }),
      query: Type.String({ minLength: 1, maxLength: 20_000 }),
    },
    { additionalProperties: false },
  ),
);

const dataFileName = /^[a-zA-Z0-9_.-]{1,100}\.(csv|sqlite|sqlite3|db)$/;

/** Tools: list, Python, data files (CSV/SQLite) and SQL over them. */
export function registerToolRoutes(router: Router, context: AppContext): void {
  const filesDir = join(context.config.dataDir, 'files');
  const python = (): PythonService => {
    const service = context.services.python;
    if (service === undefined)
      throw featureUnavailable('sandbox', context.services.features.sandbox?.detail ?? 'not configured');
    return service;
  };
  router.add({
    method: 'GET',
    path: '/api/tools',
    handler: ({ response }) =>
      sendJson(response, 200, {
        tools: context.services.tools.list().map((tool) => ({
          name: tool.name,
          description: tool.description,
          parameters: tool.toSpec().parameters,
        })),
      }),
  });
  router.add({
    method: 'POST',
    path: '/api/tools/python',
    async handler({ request, response }) {
      const body = await readJson(request, pythonBody, context.config.limits.jsonBodyBytes, 'python request');
      const controller = new AbortController();
      response.on('close', () => {
        if (!response.writableFinished) controller.abort();
      });
      const options = {
        signal: controller.signal,
        ...(body.sessionId === undefined ? {} : { sessionId: body.sessionId }),
        ...(body.timeoutMs === undefined ? {} : { timeoutMs: body.timeoutMs }),
      };
      sendJson(response, 200, await python().run(body.code, options));
    },
  });
  router.add({
    method: 'POST',
    path: '/api/tools/files',
    async handler({ request, response, url }) {
      const name = url.searchParams.get('name') ?? '';
      if (!dataFileName.test(name)) {
        throw new AgenticGenError(
          'invalid-argument',
          '[server] data files need ?name= ending in .csv, .sqlite, .sqlite3 or .db (letters, digits, "_", "-", ".")',
        );
      }
      const bytes = await readBody(request, context.config.limits.uploadBytes);
      await mkdir(filesDir, { recursive: true });
      await writeFile(join(filesDir, name), bytes);
      sendJson(response, 201, { file: { name, bytes: bytes.length } });
    },
  });
  router.add({
    method: 'GET',
    path: '/api/tools/files',
    async handler({ response }) {
      const names = await readdir(filesDir).catch(() => [] as string[]);
      const files = await Promise.all(
        names
          .filter((name) => dataFileName.test(name))
          .map(async (name) => ({ name, bytes: (await stat(join(filesDir, name))).size })),
      );
      sendJson(response, 200, { files });
    },
  });
  router.add({
    method: 'POST',
    path: '/api/tools/sql',
    async handler({ request, response }) {
      const body = await readJson(request, sqlBody, context.config.limits.jsonBodyBytes, 'sql request');
      const service = python();
      if (service.sql === undefined)
        throw featureUnavailable('sql', context.services.features.sql?.detail ?? 'not configured');
      if (!dataFileName.test(body.file))
        throw new AgenticGenError('invalid-argument', `[server] invalid data file name "${body.file}"`);
      const bytes = await readFile(join(filesDir, body.file)).catch(() => {
        throw new AgenticGenError(
          'not-found',
          `[server] no data file "${body.file}"; upload it with POST /api/tools/files?name=…`,
        );
      });
      sendJson(response, 200, await service.sql({ name: body.file, bytes }, body.query, {}));
    },
  });
}
