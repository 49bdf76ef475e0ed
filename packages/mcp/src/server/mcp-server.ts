import { type Agent, type AnyTool, executeTool, type KnowledgeBase, type ToolOutcome } from '@agenticgen/core';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ListToolsRequestSchema,
  type Tool as McpToolDefinition,
} from '@modelcontextprotocol/sdk/types.js';
import { clip, mcpError } from '../errors.js';
import { agentTool, knowledgeTool, type ServedTool } from './served-tools.js';

export interface McpServerOptions {
  /** `serverInfo.name` (default `agenticgen`). */
  name?: string;
  /** `serverInfo.version` (default `0.0.0`). */
  version?: string;
  /** Instructions sent to clients in `initialize`. */
  instructions?: string;
  /** Core tools, served under their own names; arguments are validated by core before `execute`. */
  tools?: readonly AnyTool[];
  /**
   * Agents, each served as a tool `{ input: string }` that runs the agent and answers its final text. A
   * client that sends a progress token gets `notifications/progress` after each step; cancelling the request
   * aborts the run.
   */
  agents?: readonly Agent[];
  /** Knowledge bases by name, each served as a `search_<name>` tool `{ query, topK? }`. */
  knowledge?: Readonly<Record<string, KnowledgeBase>>;
  /** Most characters of one tool answer (default 1,000,000); longer answers are cut with a note. */
  maxResultChars?: number;
}

/** Serves AgenticGen tools, agents and knowledge over MCP; connect it to any SDK server transport. */
export interface McpServerFactory {
  /** The tools as MCP clients see them. */
  readonly tools: readonly McpToolDefinition[];
  /**
   * A new SDK `Server` with the handlers installed. One per connection: a stateful HTTP session, a stdio
   * process, or one stateless request.
   */
  createServer(): Server;
}

/** Builds the MCP server. Tool names must be unique across tools, agents and knowledge bases. */
export function createMcpServer(options: McpServerOptions): McpServerFactory {
  const served: ServedTool[] = [
    ...(options.tools ?? []).map((tool) => ({ tool, progress: false })),
    ...(options.agents ?? []).map((agent) => agentTool(agent)),
    ...Object.entries(options.knowledge ?? {}).map(([name, knowledge]) => knowledgeTool(name, knowledge)),
  ];
  if (served.length === 0)
    throw mcpError('invalid-config', 'createMcpServer needs at least one tool, agent or knowledge base');
  const byName = new Map<string, ServedTool>();
  for (const entry of served) {
    if (byName.has(entry.tool.name)) {
      throw mcpError('invalid-config', `two served tools are named "${entry.tool.name}"`);
    }
    byName.set(entry.tool.name, entry);
  }
  const maxResultChars = options.maxResultChars ?? 1_000_000;
  const definitions: McpToolDefinition[] = served.map(({ tool }) => {
    const spec = tool.toSpec('json-schema');
    return {
      name: spec.name,
      description: spec.description,
      inputSchema: spec.parameters as McpToolDefinition['inputSchema'],
    };
  });

  const createServer = (): Server => {
    const server = new Server(
      { name: options.name ?? 'agenticgen', version: options.version ?? '0.0.0' },
      options.instructions === undefined
        ? { capabilities: { tools: {} } }
        : { capabilities: { tools: {} }, instructions: options.instructions },
    );
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: definitions }));
    server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
      const entry = byName.get(request.params.name);
      if (entry === undefined) {
        return errorResult(`unknown tool ${JSON.stringify(clip(request.params.name, 64))}`);
      }
      const progressToken = request.params._meta?.progressToken;
      const values: Record<string, unknown> = {};
      if (entry.progress && progressToken !== undefined) {
        values.mcpProgress = (progress: number, message: string) =>
          extra.sendNotification({ method: 'notifications/progress', params: { progressToken, progress, message } });
      }
      const outcome = await executeTool(entry.tool, request.params.arguments ?? {}, {
        toolCallId: String(extra.requestId),
        signal: extra.signal,
        values,
      });
      return toCallToolResult(outcome, maxResultChars);
    });
    return server;
  };
  return { tools: definitions, createServer };
}

function toCallToolResult(outcome: ToolOutcome, maxResultChars: number): CallToolResult {
  if (!outcome.ok) return errorResult(outcome.error.message, { code: outcome.error.code });
  const { output } = outcome;
  const text = typeof output === 'string' ? output : (JSON.stringify(output) ?? '');
  const content = [{ type: 'text' as const, text: cut(text, maxResultChars) }];
  const structured = output !== null && typeof output === 'object' && !Array.isArray(output);
  return structured ? { content, structuredContent: output as Record<string, unknown> } : { content };
}

function errorResult(message: string, structuredContent?: Record<string, unknown>): CallToolResult {
  const result: CallToolResult = { isError: true, content: [{ type: 'text', text: message }] };
  if (structuredContent !== undefined) result.structuredContent = structuredContent;
  return result;
}

function cut(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}\n[cut: ${text.length - limit} more characters]` : text;
}
