import type { IngestReport, KnowledgeBase, KnowledgeDocument } from '@agenticgen/core';
import type { Resource } from '@modelcontextprotocol/sdk/types.js';
import { mcpError } from '../errors.js';
import type { McpClient } from './mcp-client.js';

export interface AddResourcesOptions {
  /** Which resources to read (default: every listed resource with a text-like MIME type). */
  filter?: (resource: Resource) => boolean;
  /** Most resources read (default 100); more matching ones is `mcp-limit-exceeded`. */
  maxDocuments?: number;
  /** Most characters of text over all resources (default 5,000,000). */
  maxCharacters?: number;
  /** @deprecated Use `maxCharacters` (no abbreviations in public names, as core's loaders); removed in the next minor release. */
  maxChars?: number;
  /** Cancels the reads and the ingest. */
  signal?: AbortSignal;
}

const textLike = (resource: Resource) =>
  resource.mimeType === undefined || /^text\/|json|xml|yaml|markdown/.test(resource.mimeType);

/**
 * Reads a server's text resources and adds them to a knowledge base, one document per resource (id and source:
 * the resource URI), so an agent's retrieval can cite them. Binary contents are skipped.
 */
export async function addMcpResourcesToKnowledge(
  client: McpClient,
  knowledge: KnowledgeBase,
  options: AddResourcesOptions = {},
): Promise<IngestReport> {
  const maxDocuments = options.maxDocuments ?? 100;
  const maxCharacters = options.maxCharacters ?? options.maxChars ?? 5_000_000;
  const chosen = (await client.listResources()).filter(options.filter ?? textLike);
  if (chosen.length > maxDocuments) {
    throw mcpError('mcp-limit-exceeded', `${chosen.length} resources match, more than maxDocuments (${maxDocuments})`);
  }
  const documents: KnowledgeDocument[] = [];
  let total = 0;
  for (const resource of chosen) {
    const read = await client.readResource(resource.uri, options.signal ? { signal: options.signal } : {});
    const text = read.contents.flatMap((content) => ('text' in content ? [content.text] : [])).join('\n');
    if (text === '') continue;
    total += text.length;
    if (total > maxCharacters)
      throw mcpError('mcp-limit-exceeded', `resources hold more than maxCharacters (${maxCharacters}) of text`);
    documents.push({
      id: resource.uri,
      source: resource.uri,
      content: text,
      metadata: { title: resource.title ?? resource.name, mcpServerResource: true },
    });
  }
  return knowledge.add(documents, options.signal ? { signal: options.signal } : {});
}

/** Gets a prompt and joins its text messages into agent instructions. */
export async function mcpPromptAsInstructions(
  client: McpClient,
  name: string,
  args?: Record<string, string>,
): Promise<string> {
  const prompt = await client.getPrompt(name, args);
  return prompt.messages
    .flatMap((message) => {
      const content = message.content;
      if (content.type === 'text') return [content.text];
      if (content.type === 'resource' && 'text' in content.resource) return [content.resource.text];
      return [];
    })
    .join('\n\n');
}
