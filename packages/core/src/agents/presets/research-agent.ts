import type { MetadataFilter } from '../../contracts/vector-store.js';
import type { KnowledgeBase } from '../../knowledge/knowledge-base.js';
import { createKnowledgeSearchTool, knowledgeSearchToolName } from '../../knowledge/knowledge-search-tool.js';
import { type Agent, type CreateAgentOptions, createAgent } from '../create-agent.js';
import type { AgentResult } from '../types.js';

export interface ResearchAgentOptions extends Omit<CreateAgentOptions, 'name' | 'instructions'> {
  /** Name (default `research-agent`). */
  name?: string;
  /** System prompt (default: answer only from retrieved sources and cite them). */
  instructions?: string;
  /** Where the agent searches. */
  knowledgeBase: KnowledgeBase;
  /** Chunks per search (default 5). */
  topK?: number;
  /** A filter applied to every search (for example a tenant id). */
  filter?: MetadataFilter;
}

/** A source the answer cites. */
export interface Citation {
  /** The reference as written in the answer, e.g. `guide#2`. */
  ref: string;
  /** The document's source (URL, path, title). */
  source: string;
  /** The document id. */
  documentId: string;
  /** The chunk index. */
  chunkIndex: number;
  /** The chunk text the answer relied on. */
  text: string;
}

export { knowledgeSearchToolName };

const defaultInstructions = [
  'You are a meticulous research assistant.',
  `Use the ${knowledgeSearchToolName} tool to find sources before answering; search again with other words if results are weak.`,
  'Answer only from the sources. After each claim cite its source by ref in square brackets, e.g. [guide#2].',
  'If the sources do not answer the question, say so.',
].join(' ');

/** Creates a research agent that retrieves from a knowledge base and cites its sources. */
export function createResearchAgent(options: ResearchAgentOptions): Agent {
  const { knowledgeBase, topK, filter, ...rest } = options;
  const search = createKnowledgeSearchTool(knowledgeBase, {
    ...(topK === undefined ? {} : { topK }),
    ...(filter === undefined ? {} : { filter }),
  });
  return createAgent({
    ...rest,
    name: options.name ?? 'research-agent',
    instructions: options.instructions ?? defaultInstructions,
    tools: [...(options.tools ?? []), search],
  });
}

/** The sources a research run's answer cites: refs in `[ref]` form that match retrieved passages, in order. */
export function citationsOf(result: AgentResult): Citation[] {
  const retrieved = new Map<string, Citation>();
  for (const step of result.steps) {
    for (const call of step.toolCalls) {
      if (call.toolName !== knowledgeSearchToolName || call.isError) continue;
      for (const passage of (call.output as { results?: Citation[] }).results ?? [])
        retrieved.set(passage.ref, passage);
    }
  }
  const cited: Citation[] = [];
  const seen = new Set<string>();
  for (const match of result.text.matchAll(/\[([^\]\s]+#\d+)\]/g)) {
    const ref = match[1] ?? '';
    const passage = retrieved.get(ref);
    if (passage === undefined || seen.has(ref)) continue;
    seen.add(ref);
    cited.push({
      ref,
      source: passage.source,
      documentId: passage.documentId,
      chunkIndex: passage.chunkIndex,
      text: passage.text,
    });
  }
  return cited;
}
