import type { KnowledgeBase } from '@agenticgen/core';
import { UriTemplate } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import type { ReadResourceResult, Resource, ResourceTemplate } from '@modelcontextprotocol/sdk/types.js';
import { clip, mcpError } from '../errors.js';

/** The body of a resource: text, or binary data as base64. */
export type McpResourceBody = { text: string } | { blob: string };

/** A resource with a fixed URI, listed in `resources/list`. */
export interface McpResource {
  uri: string;
  name: string;
  description?: string;
  mimeType?: string;
  read(signal: AbortSignal): McpResourceBody | Promise<McpResourceBody>;
}

/** Argument completion: the values that start with what the user typed so far. */
export type McpCompleter = (value: string) => readonly string[] | Promise<readonly string[]>;

/** Resources behind an RFC 6570 URI template (`notes://{id}`), listed in `resources/templates/list`. */
export interface McpResourceTemplate {
  uriTemplate: string;
  name: string;
  description?: string;
  mimeType?: string;
  /** Reads the resource at `uri`; `variables` are the template's values taken from it. */
  read(
    uri: string,
    variables: Record<string, string | string[]>,
    signal: AbortSignal,
  ): McpResourceBody | Promise<McpResourceBody>;
  /** Completers of the template's variables, by variable name (`completion/complete`). */
  complete?: Readonly<Record<string, McpCompleter>>;
}

interface CompiledTemplate {
  template: McpResourceTemplate;
  matcher: UriTemplate;
}

/** Every resource the server offers, with lookup by URI. */
export interface ResourceCatalog {
  list(): Resource[];
  templates(): ResourceTemplate[];
  read(uri: string, signal: AbortSignal, maxChars: number): Promise<ReadResourceResult>;
  /** True when `uri` names a fixed resource or matches a template. */
  has(uri: string): boolean;
  completer(uriTemplate: string, argument: string): McpCompleter | undefined;
}

export function createResourceCatalog(
  resources: readonly McpResource[],
  templates: readonly McpResourceTemplate[],
  knowledge: Readonly<Record<string, KnowledgeBase>>,
): ResourceCatalog {
  const fixed = new Map<string, McpResource>();
  for (const resource of resources) {
    if (fixed.has(resource.uri))
      throw mcpError('invalid-config', `two resources have the URI "${clip(resource.uri, 200)}"`);
    fixed.set(resource.uri, resource);
  }
  const compiled: CompiledTemplate[] = [...templates, ...Object.entries(knowledge).map(knowledgeTemplate)].map(
    (template) => ({ template, matcher: new UriTemplate(template.uriTemplate) }),
  );
  const knowledgeEntries = Object.entries(knowledge);
  const describe = ({ read: _read, complete: _complete, ...rest }: McpResourceTemplate): ResourceTemplate => rest;
  const match = (uri: string) => {
    for (const entry of compiled) {
      const variables = entry.matcher.match(uri);
      if (variables !== null) return { entry, variables };
    }
    return undefined;
  };
  return {
    list() {
      const listed: Resource[] = [...fixed.values()].map(({ read: _read, ...rest }) => rest);
      // Knowledge documents are resources of their base's template; listing them lets clients browse.
      for (const [name, base] of knowledgeEntries) {
        for (const document of base.list()) {
          listed.push({
            uri: knowledgeUri(name, document.id),
            name: document.source,
            description: `Document "${document.id}" of the "${name}" knowledge base (${document.chunkCount} chunks).`,
            mimeType: 'text/plain',
          });
        }
      }
      return listed;
    },
    templates: () => compiled.map(({ template }) => describe(template)),
    has: (uri) => fixed.has(uri) || match(uri) !== undefined,
    async read(uri, signal, maxChars) {
      const resource = fixed.get(uri);
      let body: McpResourceBody;
      let mimeType: string | undefined;
      if (resource !== undefined) {
        body = await resource.read(signal);
        mimeType = resource.mimeType;
      } else {
        const found = match(uri);
        if (found === undefined) throw mcpError('not-found', `no resource ${JSON.stringify(clip(uri, 200))}`);
        body = await found.entry.template.read(uri, found.variables, signal);
        mimeType = found.entry.template.mimeType;
      }
      const size = 'text' in body ? body.text.length : body.blob.length;
      if (size > maxChars) {
        throw mcpError('mcp-limit-exceeded', `the resource has ${size} characters, more than ${maxChars}`);
      }
      return { contents: [mimeType === undefined ? { uri, ...body } : { uri, mimeType, ...body }] };
    },
    completer(uriTemplate, argument) {
      return compiled.find(({ template }) => template.uriTemplate === uriTemplate)?.template.complete?.[argument];
    },
  };
}

function knowledgeUri(base: string, documentId: string): string {
  return `knowledge://${encodeURIComponent(base)}/${encodeURIComponent(documentId)}`;
}

/** A knowledge base's documents as `knowledge://<base>/{documentId}`: the text of its chunks, in order. */
function knowledgeTemplate([name, base]: [string, KnowledgeBase]): McpResourceTemplate {
  return {
    uriTemplate: `knowledge://${encodeURIComponent(name)}/{documentId}`,
    name: `${name} documents`,
    description: `Documents of the "${name}" knowledge base, as the text of their chunks.`,
    mimeType: 'text/plain',
    async read(_uri, variables) {
      const documentId = decodeURIComponent(String(variables.documentId ?? ''));
      const info = base.get(documentId);
      if (info === undefined) throw mcpError('not-found', `no document ${JSON.stringify(clip(documentId, 200))}`);
      const getRecords = base.vectorStore.get?.bind(base.vectorStore);
      if (getRecords === undefined) {
        throw mcpError('unsupported', `the vector store "${base.vectorStore.name}" cannot fetch records by id`);
      }
      const ids = Array.from({ length: info.chunkCount }, (_, index) => `${documentId}#${index}`);
      const records = await getRecords(ids);
      const order = new Map(ids.map((id, index) => [id, index]));
      records.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
      return { text: records.map((record) => String(record.metadata?.text ?? '')).join('\n\n') };
    },
    complete: {
      documentId: (value) =>
        base
          .list()
          .map((document) => document.id)
          .filter((id) => id.startsWith(value)),
    },
  };
}
