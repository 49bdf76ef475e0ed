import { Type } from '@sinclair/typebox';
import type { MetadataFilter } from '../contracts/vector-store.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { defineTool } from '../tools/define-tool.js';
import type { SearchOptions, SearchResult } from './knowledge-types.js';

/** What the search tool needs: anything that searches like a knowledge base. */
export interface KnowledgeSearcher {
  search(query: string, options?: SearchOptions): Promise<SearchResult[]>;
}

export interface KnowledgeSearchToolOptions {
  /** Tool name (default `search_knowledge`). */
  name?: string;
  /** Tool description shown to the model. */
  description?: string;
  /** Passages per search when the model does not ask (default 5, or `maxTopK` if smaller). */
  topK?: number;
  /** Most passages the model may ask for (default 20). */
  maxTopK?: number;
  /** A filter applied to every search (for example a tenant id); the model cannot widen it. */
  filter?: MetadataFilter;
  /** Other search options for every call (mode, fusion, ranker, rerankTopK…). */
  search?: Omit<SearchOptions, 'topK' | 'filter' | 'signal'>;
  /** Longest passage text returned, in characters (default 4,000); longer passages are cut. */
  maxPassageCharacters?: number;
}

/** A passage as the search tool returns it. */
export interface KnowledgeSearchPassage {
  /** The chunk id, to cite as `[ref]`. */
  ref: string;
  source: string;
  documentId: string;
  chunkIndex: number;
  heading?: string;
  text: string;
  score: number;
}

/** Default name of the knowledge search tool. */
export const knowledgeSearchToolName = 'search_knowledge';

function positiveInteger(value: number, name: string, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new AgenticGenError('invalid-config', `[knowledge] search tool ${name} must be an integer from 1 to ${max}`);
  }
  return value;
}

/**
 * A tool any agent can use to search a knowledge base: `{ query, topK? }` in, passages with a `ref` to cite out.
 * An empty `results` list means no passage matched (the relevance floor), which the description tells the model.
 */
export function createKnowledgeSearchTool(knowledgeBase: KnowledgeSearcher, options: KnowledgeSearchToolOptions = {}) {
  if (typeof knowledgeBase?.search !== 'function') {
    throw new AgenticGenError('invalid-config', '[knowledge] createKnowledgeSearchTool needs a knowledge base');
  }
  const maxTopK = positiveInteger(options.maxTopK ?? 20, 'maxTopK', 1000);
  const defaultTopK = positiveInteger(options.topK ?? Math.min(5, maxTopK), 'topK', maxTopK);
  const maxCharacters = positiveInteger(options.maxPassageCharacters ?? 4_000, 'maxPassageCharacters', 1_000_000);
  return defineTool({
    name: options.name ?? knowledgeSearchToolName,
    description:
      options.description ??
      'Searches the knowledge base. Returns passages with a ref to cite, their source and text; an empty list means nothing matched.',
    parameters: Type.Object({
      query: Type.String({ description: 'What to look for.', minLength: 1, maxLength: 2_000 }),
      topK: Type.Optional(Type.Integer({ description: 'How many passages.', minimum: 1, maximum: maxTopK })),
    }),
    async execute({ query, topK }, context): Promise<{ results: KnowledgeSearchPassage[] }> {
      const results = await knowledgeBase.search(query, {
        ...options.search,
        topK: topK ?? defaultTopK,
        signal: context.signal,
        ...(options.filter === undefined ? {} : { filter: options.filter }),
      });
      return {
        results: results.map((result) => ({
          ref: result.id,
          source: result.source,
          documentId: result.documentId,
          chunkIndex: result.chunkIndex,
          ...(result.heading === undefined ? {} : { heading: result.heading }),
          text: result.text.length > maxCharacters ? `${result.text.slice(0, maxCharacters)}…` : result.text,
          score: Number(result.score.toFixed(4)),
        })),
      };
    },
  });
}
