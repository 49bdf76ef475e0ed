import { AgenticGenError, compileSchema, Type } from '@agenticgen/core';
import type { AppContext } from '../context.ts';
import { mediaType, readBody, readJson } from '../http/body.ts';
import { featureUnavailable, sendJson } from '../http/errors.ts';
import type { Router } from '../http/router.ts';
import type { KnowledgeService } from '../services/types.ts';

/** Media types accepted as documents. */
export const documentMediaTypes = ['text/plain', 'text/markdown', 'text/html'] as const;

const uploadBody = compileSchema(
  Type.Object(
    {
      name: Type.String({ minLength: 1, maxLength: 200 }),
      content: Type.String({ minLength: 1 }),
      mediaType: Type.Optional(Type.Union(documentMediaTypes.map((type) => Type.Literal(type)))),
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
    if ((documentMediaTypes as readonly string[]).includes(type)) return type;
    throw new AgenticGenError(
      'unsupported-media-type',
      `[server] documents must be ${documentMediaTypes.join(', ')}; got ${type}`,
    );
  }
  if (/\.(md|markdown)$/i.test(name)) return 'text/markdown';
  if (/\.html?$/i.test(name)) return 'text/html';
  return 'text/plain';
}

/** Knowledge: upload (JSON or the raw file), list, delete, search. */
export function registerKnowledgeRoutes(router: Router, context: AppContext): void {
  const knowledge = (): KnowledgeService => {
    const service = context.services.knowledge;
    if (service === undefined) {
      throw featureUnavailable('knowledge', context.services.features.knowledge?.detail ?? 'not configured');
    }
    return service;
  };
  router.add({
    method: 'GET',
    path: '/api/knowledge/documents',
    handler: async ({ response }) => sendJson(response, 200, { documents: await knowledge().list() }),
  });
  router.add({
    method: 'POST',
    path: '/api/knowledge/documents',
    async handler({ request, response, url }) {
      const service = knowledge();
      let document: { name: string; content: string; mediaType: string };
      if (mediaType(request) === 'application/json') {
        const body = await readJson(request, uploadBody, context.config.limits.uploadBytes, 'document upload');
        document = { name: body.name, content: body.content, mediaType: documentMediaType(body.name, body.mediaType) };
      } else {
        const name = url.searchParams.get('name') ?? '';
        if (name === '' || name.length > 200) {
          throw new AgenticGenError(
            'invalid-argument',
            '[server] raw uploads need ?name=<file name> (1–200 characters)',
          );
        }
        const type = documentMediaType(name, mediaType(request));
        const bytes = await readBody(request, context.config.limits.uploadBytes);
        document = { name, content: new TextDecoder('utf-8', { fatal: false }).decode(bytes), mediaType: type };
      }
      if (document.content.trim() === '') {
        throw new AgenticGenError('invalid-argument', `[server] document "${document.name}" is empty`);
      }
      sendJson(response, 201, { document: await service.add(document) });
    },
  });
  router.add({
    method: 'DELETE',
    path: '/api/knowledge/documents/:id',
    async handler({ response, params }) {
      const id = params.id ?? '';
      if (!(await knowledge().remove(id))) {
        throw new AgenticGenError('not-found', `[server] no document with id "${id}"`);
      }
      sendJson(response, 200, { deleted: id });
    },
  });
  router.add({
    method: 'POST',
    path: '/api/knowledge/search',
    async handler({ request, response }) {
      const body = await readJson(request, searchBody, context.config.limits.jsonBodyBytes, 'search request');
      sendJson(response, 200, { results: await knowledge().search(body.query, body.topK) });
    },
  });
}
