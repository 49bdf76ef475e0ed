import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AgenticGenError, compileSchema, Type } from '@agenticgen/core';
import type { AppContext } from '../context.ts';
import { jsonBody, limitBody, readBytes, validBody } from '../http/body.ts';
import type { ApiApp } from '../http/env.ts';
import { featureUnavailable } from '../http/errors.ts';
import { runOwner } from '../limits/run-owner.ts';
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
export function registerToolRoutes(app: ApiApp, context: AppContext): void {
  const filesDir = join(context.config.dataDir, 'files');
  const limits = { bytes: context.config.limits.jsonBodyBytes, depth: context.config.limits.jsonDepth };
  const python = (): PythonService => {
    const service = context.services.python;
    if (service === undefined)
      throw featureUnavailable('sandbox', context.services.features.sandbox?.detail ?? 'not configured');
    return service;
  };
  /** A sandbox call counts against its token's run limit and waits its turn in the fair queue (under `owner`). */
  const asRun = async <T>(owner: string, work: () => Promise<T>): Promise<T> => {
    const release = context.runLimiter.acquire(owner);
    try {
      return await runOwner.run(owner, work);
    } finally {
      release();
    }
  };
  app.get('/api/tools', (c) =>
    c.json({
      tools: context.services.tools.list().map((tool) => ({
        name: tool.name,
        description: tool.description,
        parameters: tool.toSpec().parameters,
      })),
    }),
  );
  app.post('/api/tools/python', ...jsonBody(pythonBody, 'python request', limits), async (c) => {
    const body = validBody(c, pythonBody);
    const service = python();
    const options = {
      signal: c.req.raw.signal,
      ...(body.sessionId === undefined ? {} : { sessionId: body.sessionId }),
      ...(body.timeoutMs === undefined ? {} : { timeoutMs: body.timeoutMs }),
    };
    return c.json(await asRun(c.var.owner, () => service.run(body.code, options)));
  });
  app.post('/api/tools/files', limitBody(context.config.limits.uploadBytes), async (c) => {
    const name = c.req.query('name') ?? '';
    if (!dataFileName.test(name)) {
      throw new AgenticGenError(
        'invalid-argument',
        '[server] data files need ?name= ending in .csv, .sqlite, .sqlite3 or .db (letters, digits, "_", "-", ".")',
      );
    }
    const bytes = await readBytes(c);
    await mkdir(filesDir, { recursive: true });
    await writeFile(join(filesDir, name), bytes);
    return c.json({ file: { name, bytes: bytes.length } }, 201);
  });
  app.get('/api/tools/files', async (c) => {
    const names = await readdir(filesDir).catch(() => [] as string[]);
    const files = await Promise.all(
      names
        .filter((name) => dataFileName.test(name))
        .map(async (name) => ({ name, bytes: (await stat(join(filesDir, name))).size })),
    );
    return c.json({ files });
  });
  app.post('/api/tools/sql', ...jsonBody(sqlBody, 'sql request', limits), async (c) => {
    const body = validBody(c, sqlBody);
    const service = python();
    const sql = service.sql;
    if (sql === undefined) throw featureUnavailable('sql', context.services.features.sql?.detail ?? 'not configured');
    if (!dataFileName.test(body.file))
      throw new AgenticGenError('invalid-argument', '[server] invalid data file name; see GET /api/tools/files');
    const bytes = await readFile(join(filesDir, body.file)).catch(() => {
      throw new AgenticGenError(
        'not-found',
        `[server] no data file "${body.file}"; upload it with POST /api/tools/files?name=…`,
      );
    });
    const signal = c.req.raw.signal;
    return c.json(await asRun(c.var.owner, () => sql({ name: body.file, bytes }, body.query, { signal })));
  });
}
