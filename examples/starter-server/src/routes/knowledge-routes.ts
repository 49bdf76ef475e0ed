import { AgenticGenError, compileSchema, Type } from '@agenticgen/core';
import type { Context } from 'hono';
import type { AppContext } from '../context.ts';
import { jsonBody, limitBody, mediaType, parseJson, readBytes, validBody } from '../http/body.ts';
import type { ApiApp } from '../http/env.ts';
import { featureUnavailable, statusForError, toHttpError } from '../http/errors.ts';
import { startSse } from '../http/sse.ts';
import {
  binaryDocumentMediaTypes,
  docxMediaType,
  loadBinaryDocument,
  pdfMediaType,
} from '../services/document-loaders.ts';
import type { KnowledgeService, UploadedDocument } from '../services/types.ts';

/** Media types accepted as text documents (JSON or raw uploads). */
export const documentMediaTypes = ['text/plain', 'text/markdown', 'text/html'] as const;

/** Every media type accepted: the text ones, and PDF and Word files uploaded raw. */
const acceptedMediaTypes: readonly string[] = [...documentMediaTypes, ...binaryDocumentMediaTypes];

const uploadBody = compileSchema(
  Type.Object(
    {
      name: Type.String({ minLength: 1, maxLength: 200 }),
      content: Type.String({ minLength: 1 }),
      mediaType: Type.Optional(Type.Union(documentMediaTypes.map((type) => Type.Literal(type)))),
      /** Replace a document of the same name instead of refusing the upload with 409. */
      replace: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
);

const searchBody = compileSchema(
  Type.Object(
    {
      query: Type.String({ minLength: 1, maxLength: 2000 }),
      topK: Type.Integer({ minimum: 1, maximum: 50, default: 5 }),
    },
    { additionalProperties: false },
  ),
);

/** The media type of a document from its declared type or its file name. */
export function documentMediaType(name: string, declared: string | undefined): string {
  const type = declared === undefined || declared === '' || declared === 'application/octet-stream' ? '' : declared;
  if (type !== '') {
    if (acceptedMediaTypes.includes(type)) return type;
    throw new AgenticGenError(
      'unsupported-media-type',
      `[server] documents must be ${acceptedMediaTypes.join(', ')}; got ${type.slice(0, 100)}`,
    );
  }
  if (/\.pdf$/i.test(name)) return pdfMediaType;
  if (/\.docx$/i.test(name)) return docxMediaType;
  if (/\.(md|markdown)$/i.test(name)) return 'text/markdown';
  if (/\.html?$/i.test(name)) return 'text/html';
  return 'text/plain';
}

const truthy = (value: string | undefined) => value !== undefined && ['1', 'true', 'yes'].includes(value);

/** Knowledge: upload (JSON or the raw file), list, delete, search. */
export function registerKnowledgeRoutes(app: ApiApp, context: AppContext): void {
  const limits = { bytes: context.config.limits.jsonBodyBytes, depth: context.config.limits.jsonDepth };
  const knowledge = (): KnowledgeService => {
    const service = context.services.knowledge;
    if (service === undefined) {
      throw featureUnavailable('knowledge', context.services.features.knowledge?.detail ?? 'not configured');
    }
    return service;
  };
  app.get('/api/knowledge/documents', async (c) => c.json({ documents: await knowledge().list() }));
  const upload = async (c: Context, document: UploadedDocument, replace: boolean): Promise<Response> => {
    const service = knowledge();
    if (document.content.trim() === '') {
      throw new AgenticGenError('invalid-argument', `[server] document "${document.name}" is empty`);
    }
    if (!(c.req.header('accept') ?? '').includes('text/event-stream')) {
      return c.json({ document: await service.add(document, { replace }) }, 201);
    }
    // Streamed: `ingest-progress` events while the document is embedded, then `document` (or `error`).
    const sse = startSse(c.req.raw.signal);
    void service
      .add(document, { replace, onProgress: (progress) => sse.send('ingest-progress', progress) })
      .then(
        (added) => sse.send('document', { document: added }),
        (thrown: unknown) => {
          const error = toHttpError(thrown);
          sse.send('error', { status: statusForError(error), error: { code: error.code, message: error.message } });
        },
      )
      .finally(() => sse.end());
    return sse.response;
  };
  app.post('/api/knowledge/documents', limitBody(context.config.limits.uploadBytes), async (c) => {
    if (mediaType(c) === 'application/json') {
      const value = parseJson(await c.req.text(), 'document upload', context.config.limits.jsonDepth);
      const body = uploadBody.parse(value, { scope: 'server', what: 'document upload' });
      const document = {
        name: body.name,
        content: body.content,
        mediaType: documentMediaType(body.name, body.mediaType),
      };
      if ((binaryDocumentMediaTypes as readonly string[]).includes(document.mediaType))
        throw new AgenticGenError(
          'unsupported-media-type',
          '[server] upload PDF and Word files raw (POST the file with ?name=<file name>), not as JSON text',
        );
      return upload(c, document, body.replace === true || truthy(c.req.query('replace')));
    }
    const name = c.req.query('name') ?? '';
    if (name === '' || name.length > 200) {
      throw new AgenticGenError('invalid-argument', '[server] raw uploads need ?name=<file name> (1–200 characters)');
    }
    const type = documentMediaType(name, mediaType(c));
    const bytes = await readBytes(c);
    if ((binaryDocumentMediaTypes as readonly string[]).includes(type)) {
      knowledge(); // unavailable before any parsing
      return upload(c, await loadBinaryDocument(name, type, bytes), truthy(c.req.query('replace')));
    }
    const content = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    return upload(c, { name, content, mediaType: type }, truthy(c.req.query('replace')));
  });
  app.delete('/api/knowledge/documents/:id', async (c) => {
    const id = c.req.param('id') ?? '';
    if (!(await knowledge().remove(id))) {
      throw new AgenticGenError('not-found', `[server] no document with id ${JSON.stringify(id.slice(0, 200))}`);
    }
    return c.json({ deleted: id });
  });
  app.post('/api/knowledge/search', ...jsonBody(searchBody, 'search request', limits), async (c) => {
    const body = validBody(c, searchBody);
    return c.json({ results: await knowledge().search(body.query, body.topK) });
  });
}
