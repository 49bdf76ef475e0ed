import type { ToolContext } from '@agenticgen/core';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  type ContentBlock,
  type CreateMessageRequestParams,
  type CreateMessageResult,
  CreateMessageResultSchema,
  type ElicitRequestFormParams,
  type ElicitResult,
  ElicitResultSchema,
  type LoggingLevel,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { mcpError, toMcpError } from '../errors.js';

/** What a core tool can do with the MCP client that called it (`mcpToolContext(context)` inside `execute`). */
export interface McpToolContext {
  /** Sends `notifications/progress`; does nothing when the client sent no progress token. */
  progress(progress: number, options?: { total?: number; message?: string }): Promise<void>;
  /** Sends `notifications/message` unless the client's `logging/setLevel` filters this level out. */
  log(level: LoggingLevel, data: unknown, logger?: string): Promise<void>;
  /** Asks the client's model for a completion (`sampling/createMessage`); `unsupported` if it cannot sample. */
  sample(params: CreateMessageRequestParams): Promise<CreateMessageResult>;
  /** Asks the client's user for input (`elicitation/create`, form mode); `unsupported` if it cannot elicit. */
  elicit(params: ElicitRequestFormParams): Promise<ElicitResult>;
}

/** The MCP context of a tool call, or undefined when the tool runs outside an MCP server. */
export function mcpToolContext(context: ToolContext): McpToolContext | undefined {
  return context.values.mcp as McpToolContext | undefined;
}

const contentMark: unique symbol = Symbol.for('agenticgen.mcp.tool-content');

/** A tool answer in MCP content blocks (image, audio, embedded resource, mixed), built by `mcpContent`. */
export interface McpToolContent {
  readonly [contentMark]: true;
  readonly content: readonly ContentBlock[];
  readonly structuredContent?: Record<string, unknown>;
}

/**
 * Lets a core tool answer MCP content blocks as they are, instead of the text or JSON the server makes of any
 * other output. Outside MCP (an agent calling the tool directly) the model sees the object as JSON.
 */
export function mcpContent(
  content: readonly ContentBlock[],
  structuredContent?: Record<string, unknown>,
): McpToolContent {
  if (!Array.isArray(content) || content.length === 0) {
    throw mcpError('invalid-argument', 'mcpContent needs at least one content block');
  }
  const value = { [contentMark]: true as const, content };
  return structuredContent === undefined ? value : { ...value, structuredContent };
}

export function isMcpContent(value: unknown): value is McpToolContent {
  return typeof value === 'object' && value !== null && (value as Partial<McpToolContent>)[contentMark] === true;
}

const severity: readonly LoggingLevel[] = [
  'debug',
  'info',
  'notice',
  'warning',
  'error',
  'critical',
  'alert',
  'emergency',
];

/** The level one connection asked for with `logging/setLevel` (undefined: every message is sent). */
export interface LogLevelHolder {
  level: LoggingLevel | undefined;
}

export function isLogged(holder: LogLevelHolder, level: LoggingLevel): boolean {
  return holder.level === undefined || severity.indexOf(level) >= severity.indexOf(holder.level);
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Builds the context for one `tools/call`; requests and notifications travel with the call (its SSE stream). */
export function createToolContext(
  server: Server,
  extra: Extra,
  progressToken: string | number | undefined,
  logLevel: LogLevelHolder,
): McpToolContext {
  return {
    async progress(progress, options = {}) {
      if (progressToken === undefined) return;
      await extra.sendNotification({
        method: 'notifications/progress',
        params: { progressToken, progress, ...options },
      });
    },
    async log(level, data, logger) {
      if (!isLogged(logLevel, level)) return;
      const params = logger === undefined ? { level, data } : { level, data, logger };
      await extra.sendNotification({ method: 'notifications/message', params });
    },
    async sample(params) {
      if (server.getClientCapabilities()?.sampling === undefined) {
        throw mcpError('unsupported', 'the client does not support sampling');
      }
      return extra
        .sendRequest({ method: 'sampling/createMessage', params }, CreateMessageResultSchema, { signal: extra.signal })
        .catch((error: unknown) => {
          throw toMcpError(error, 'sampling/createMessage');
        });
    },
    async elicit(params) {
      if (server.getClientCapabilities()?.elicitation === undefined) {
        throw mcpError('unsupported', 'the client does not support elicitation');
      }
      return extra
        .sendRequest({ method: 'elicitation/create', params }, ElicitResultSchema, { signal: extra.signal })
        .catch((error: unknown) => {
          throw toMcpError(error, 'elicitation/create');
        });
    },
  };
}
