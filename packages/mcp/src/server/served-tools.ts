import { type Agent, type AnyTool, defineTool, type KnowledgeBase, Type } from '@agenticgen/core';
import { mcpError } from '../errors.js';
import { mcpToolContext } from './tool-context.js';

/** A tool as the server serves it. */
export interface ServedTool {
  tool: AnyTool;
}

/**
 * Reports progress to the client.
 * @deprecated use `mcpToolContext(context)?.progress` (every served tool gets the MCP tool context).
 */
export type McpProgressReporter = (progress: number, message: string) => Promise<void>;

const maxAgentInputChars = 100_000;

/** An agent as a tool: runs it on `input`, reports each finished step as progress, answers the final text. */
export function agentTool(agent: Agent): ServedTool {
  const tool = defineTool({
    name: agent.name,
    description: agent.description || `Runs the agent "${agent.name}" on a request and answers its reply.`,
    parameters: Type.Object({
      input: Type.String({ minLength: 1, maxLength: maxAgentInputChars, description: 'The request for the agent.' }),
    }),
    // An agent run has its own step and run limits; the tool timeout only caps a runaway run.
    timeoutMs: agent.options.timeoutMs ?? 600_000,
    async execute({ input }, context) {
      const mcp = mcpToolContext(context);
      const result = await agent.run(input, {
        signal: context.signal,
        onEvent: (event) => {
          if (event.type === 'step-finish' && mcp !== undefined) {
            const calls = event.toolCalls.map((call) => call.toolName).join(', ');
            const message = calls === '' ? `step ${event.step}` : `step ${event.step}: ${calls}`;
            void mcp.progress(event.step, { message });
          }
        },
      });
      if (result.status !== 'completed') {
        throw mcpError(
          'unsupported',
          `agent "${agent.name}" stopped with ${result.stopReason}; it needs approval, which MCP cannot give`,
        );
      }
      return result.text;
    },
  });
  return { tool };
}

/** A knowledge base as a `search_<name>` tool answering the best chunks with their sources. */
export function knowledgeTool(name: string, knowledge: KnowledgeBase): ServedTool {
  const tool = defineTool({
    name: `search_${name}`,
    description: `Searches the "${name}" knowledge base and answers the most relevant passages with their sources.`,
    parameters: Type.Object({
      query: Type.String({ minLength: 1, maxLength: 2_000 }),
      topK: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 5 })),
    }),
    async execute({ query, topK }) {
      const results = await knowledge.search(query, { topK: topK ?? 5 });
      return {
        results: results.map((result) => ({
          source: result.source,
          documentId: result.documentId,
          text: result.text,
          score: result.score,
        })),
      };
    },
  });
  return { tool };
}
