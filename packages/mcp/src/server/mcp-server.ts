import {
  type Agent,
  AgenticGenError,
  type AnyTool,
  executeTool,
  type KnowledgeBase,
  type ToolOutcome,
} from '@agenticgen/core';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  CompleteRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  type Tool as McpToolDefinition,
  ReadResourceRequestSchema,
  type ServerCapabilities,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { clip, mcpError } from '../errors.js';
import { createPromptCatalog, type McpPrompt } from './prompts.js';
import { createResourceCatalog, type McpResource, type McpResourceTemplate } from './resources.js';
import { agentTool, knowledgeTool, type ServedTool } from './served-tools.js';
import { createToolContext, isMcpContent, type LogLevelHolder } from './tool-context.js';

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
  /**
   * Knowledge bases by name, each served as a `search_<name>` tool `{ query, topK? }`, and its documents as
   * resources `knowledge://<name>/<documentId>` (listed, readable, completable).
   */
  knowledge?: Readonly<Record<string, KnowledgeBase>>;
  /**
   * Sandbox tools (`createPythonTool`, `createSqlTool` of `@agenticgen/sandbox`), built by `tools()` once per connection so
   * every client gets its own sandbox session (Python variables and files never cross clients); a tool's
   * `dispose()` runs when its connection closes.
   */
  sandbox?: McpSandboxTools;
  /** Resources with fixed URIs. */
  resources?: readonly McpResource[];
  /** Resources behind URI templates. */
  resourceTemplates?: readonly McpResourceTemplate[];
  /** Prompt templates. */
  prompts?: readonly McpPrompt[];
  /** Most characters of one tool answer (default 1,000,000); longer answers are cut with a note. */
  maxResultCharacters?: number;
  /**
   * @deprecated Use `maxResultCharacters` (no abbreviations in public names, as core's loaders); it wins when
   * both are given. Removed in the next minor release.
   */
  maxResultChars?: number;
}

/** Per-connection tools, e.g. `{ tools: () => [createPythonTool({ sandbox }), createSqlTool({ sandbox, data })] }`. */
export interface McpSandboxTools {
  tools(): ReadonlyArray<AnyTool & { dispose?(): Promise<void> }>;
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
  /** Sends `notifications/resources/updated` to every open connection subscribed to `uri`. */
  notifyResourceUpdated(uri: string): Promise<void>;
}

/** Most resource subscriptions one connection may hold. */
const maxSubscriptions = 1_000;
/** Most completion values in one answer (the protocol's own cap). */
const maxCompletionValues = 100;

/** Builds the MCP server. Tool names must be unique across tools, agents and knowledge bases. */
export function createMcpServer(options: McpServerOptions): McpServerFactory {
  // Built once here for their definitions (a sandbox tool opens its session only when called).
  const sandboxTemplate = options.sandbox?.tools() ?? [];
  const served: ServedTool[] = [
    ...sandboxTemplate.map((tool) => ({ tool })),
    ...(options.tools ?? []).map((tool) => ({ tool })),
    ...(options.agents ?? []).map((agent) => agentTool(agent)),
    ...Object.entries(options.knowledge ?? {}).map(([name, knowledge]) => knowledgeTool(name, knowledge)),
  ];
  const resources = createResourceCatalog(
    options.resources ?? [],
    options.resourceTemplates ?? [],
    options.knowledge ?? {},
  );
  const prompts = createPromptCatalog(options.prompts ?? []);
  const hasResources =
    options.resources !== undefined || options.resourceTemplates !== undefined || options.knowledge !== undefined;
  for (const tool of sandboxTemplate) void tool.dispose?.().catch(() => undefined);
  if (served.length === 0 && !hasResources && options.prompts === undefined) {
    throw mcpError(
      'invalid-config',
      'createMcpServer needs at least one tool, agent, knowledge base, resource or prompt',
    );
  }
  const byName = new Map<string, ServedTool>();
  for (const entry of served) {
    if (byName.has(entry.tool.name)) {
      throw mcpError('invalid-config', `two served tools are named "${entry.tool.name}"`);
    }
    byName.set(entry.tool.name, entry);
  }
  const maxResultChars = options.maxResultCharacters ?? options.maxResultChars ?? 1_000_000;
  const definitions: McpToolDefinition[] = served.map(({ tool }) => {
    const spec = tool.toSpec('json-schema');
    return {
      name: spec.name,
      description: spec.description,
      inputSchema: spec.parameters as McpToolDefinition['inputSchema'],
    };
  });

  const capabilities: ServerCapabilities = { tools: {}, logging: {}, completions: {} };
  if (hasResources) capabilities.resources = { subscribe: true };
  if (options.prompts !== undefined) capabilities.prompts = {};
  /** Open connections and the URIs each subscribed to. */
  const live = new Map<Server, Set<string>>();

  const createServer = (): Server => {
    const server = new Server(
      { name: options.name ?? 'agenticgen', version: options.version ?? '0.0.0' },
      options.instructions === undefined ? { capabilities } : { capabilities, instructions: options.instructions },
    );
    const logLevel: LogLevelHolder = { level: undefined };
    const subscriptions = new Set<string>();
    live.set(server, subscriptions);
    const sandboxTools = new Map((options.sandbox?.tools() ?? []).map((tool) => [tool.name, tool]));
    server.onclose = () => {
      live.delete(server);
      for (const tool of sandboxTools.values()) void tool.dispose?.().catch(() => undefined);
    };
    server.setRequestHandler(SetLevelRequestSchema, (request) => {
      logLevel.level = request.params.level;
      return {};
    });
    server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: definitions }));
    server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
      const tool = sandboxTools.get(request.params.name) ?? byName.get(request.params.name)?.tool;
      if (tool === undefined) {
        return errorResult(`unknown tool ${JSON.stringify(clip(request.params.name, 64))}`);
      }
      const mcp = createToolContext(server, extra, request.params._meta?.progressToken, logLevel);
      const outcome = await executeTool(tool, request.params.arguments ?? {}, {
        toolCallId: String(extra.requestId),
        signal: extra.signal,
        values: { mcp },
      });
      return toCallToolResult(outcome, maxResultChars);
    });
    server.setRequestHandler(CompleteRequestSchema, async (request) => {
      const { ref, argument } = request.params;
      const completer =
        ref.type === 'ref/prompt'
          ? prompts.completer(ref.name, argument.name)
          : resources.completer(ref.uri, argument.name);
      const all = completer === undefined ? [] : await protocolErrors(() => completer(argument.value));
      const values = all.slice(0, maxCompletionValues);
      return { completion: { values, total: all.length, hasMore: all.length > values.length } };
    });
    if (hasResources) {
      server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: resources.list() }));
      server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({
        resourceTemplates: resources.templates(),
      }));
      server.setRequestHandler(ReadResourceRequestSchema, (request, extra) =>
        protocolErrors(() => resources.read(request.params.uri, extra.signal, maxResultChars)),
      );
      server.setRequestHandler(SubscribeRequestSchema, (request) =>
        protocolErrors(() => {
          const { uri } = request.params;
          if (!resources.has(uri)) throw mcpError('not-found', `no resource ${JSON.stringify(clip(uri, 200))}`);
          if (!subscriptions.has(uri) && subscriptions.size >= maxSubscriptions) {
            throw mcpError('mcp-limit-exceeded', `a connection may subscribe to at most ${maxSubscriptions} resources`);
          }
          subscriptions.add(uri);
          return {};
        }),
      );
      server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
        subscriptions.delete(request.params.uri);
        return {};
      });
    }
    if (options.prompts !== undefined) {
      server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: prompts.list() }));
      server.setRequestHandler(GetPromptRequestSchema, (request) =>
        protocolErrors(() => prompts.get(request.params.name, request.params.arguments ?? {})),
      );
    }
    return server;
  };
  const notifyResourceUpdated = async (uri: string): Promise<void> => {
    const sends = [...live].filter(([, uris]) => uris.has(uri)).map(([server]) => server.sendResourceUpdated({ uri }));
    await Promise.allSettled(sends);
  };
  return { tools: definitions, createServer, notifyResourceUpdated };
}

/** Our typed errors as JSON-RPC errors: a missing resource is -32002, bad input -32602 (the spec's codes). */
async function protocolErrors<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!AgenticGenError.isInstance(error)) throw error;
    const code =
      error.code === 'not-found'
        ? -32002
        : error.code === 'invalid-argument' || error.code === 'mcp-limit-exceeded'
          ? ErrorCode.InvalidParams
          : ErrorCode.InternalError;
    throw new McpError(code, error.message, { code: error.code });
  }
}

function toCallToolResult(outcome: ToolOutcome, maxResultChars: number): CallToolResult {
  if (!outcome.ok) return errorResult(outcome.error.message, { code: outcome.error.code });
  const { output } = outcome;
  if (isMcpContent(output)) return contentResult(output.content, output.structuredContent, maxResultChars);
  const text = typeof output === 'string' ? output : (JSON.stringify(output) ?? '');
  const content = [{ type: 'text' as const, text: cut(text, maxResultChars) }];
  const structured = output !== null && typeof output === 'object' && !Array.isArray(output);
  return structured ? { content, structuredContent: output as Record<string, unknown> } : { content };
}

function contentResult(
  content: readonly CallToolResult['content'][number][],
  structuredContent: Record<string, unknown> | undefined,
  maxResultChars: number,
): CallToolResult {
  let size = 0;
  for (const block of content) size += contentSize(block);
  if (size > maxResultChars) {
    return errorResult(`the tool answered ${size} characters of content, more than ${maxResultChars}`);
  }
  return structuredContent === undefined ? { content: [...content] } : { content: [...content], structuredContent };
}

function contentSize(block: CallToolResult['content'][number]): number {
  if (block.type === 'text') return block.text.length;
  if (block.type === 'image' || block.type === 'audio') return block.data.length;
  if (block.type === 'resource') {
    const { resource } = block;
    return 'text' in resource ? resource.text.length : resource.blob.length;
  }
  return 0;
}

function errorResult(message: string, structuredContent?: Record<string, unknown>): CallToolResult {
  const result: CallToolResult = { isError: true, content: [{ type: 'text', text: message }] };
  if (structuredContent !== undefined) result.structuredContent = structuredContent;
  return result;
}

function cut(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}\n[cut: ${text.length - limit} more characters]` : text;
}
