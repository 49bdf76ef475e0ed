import {
  type AnyTool,
  abortErrorFrom,
  combineSignals,
  compileSchema,
  defineTool,
  type EventBus,
  isCancellable,
  raceWithSignal,
  type ToolContext,
} from '@agenticgen/core';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { CallToolResultSchema, type Tool as McpToolDefinition } from '@modelcontextprotocol/sdk/types.js';
import { mcpError, toMcpError } from '../errors.js';
import { jsonSchemaToTypeBox } from './json-schema-to-typebox.js';
import { toToolOutput } from './tool-result.js';

/** Progress of one tool call, as the server reported it. */
export interface McpProgressEvent {
  /** The core tool name. */
  toolName: string;
  /** The model's call id. */
  toolCallId: string;
  /** Units done so far. */
  progress: number;
  /** Units in total, when the server knows. */
  total?: number;
  /** A human message, when the server sent one. */
  message?: string;
}

/** What a server tool needs from its client. */
export interface RemoteToolContext {
  /** The core tool name. */
  name: string;
  timeoutMs: number;
  maxResultChars: number;
  approveTools: boolean;
  /** Where progress notifications go, as `tool-progress` events. */
  events: EventBus<{ 'tool-progress': McpProgressEvent }>;
  /**
   * The connected SDK client, synchronously when connected (a call then saves the promise hops), or a promise
   * that connects (or reconnects) first.
   */
  session(): Client | Promise<Client>;
  /** A pending tool-list refresh to wait for before answering, if any. */
  settled(): Promise<void> | undefined;
  /**
   * Present when the transport can finish an OAuth authorization-code flow: after a refusal that started one
   * (UnauthorizedError, e.g. a 403 `insufficient_scope` step-up), completes it and says whether to call again.
   */
  authorize?(client: Client, error: unknown): Promise<boolean>;
}

/**
 * A server tool as a core tool: its input schema becomes a TypeBox schema core validates before the call, its
 * output schema checks `structuredContent`, and `tools/call` goes out under the server's own name.
 */
export function remoteTool(definition: McpToolDefinition, context: RemoteToolContext): AnyTool {
  const { name } = context;
  const outputValidator =
    definition.outputSchema === undefined ? undefined : compileSchema(jsonSchemaToTypeBox(definition.outputSchema));
  const callTool = async (
    client: Client,
    args: Record<string, unknown>,
    call: ToolContext,
    authorized = false,
  ): Promise<unknown> => {
    try {
      const result = await client.request(
        { method: 'tools/call', params: { name: definition.name, arguments: args } },
        CallToolResultSchema,
        requestOptions(context, call.signal, call.toolCallId),
      );
      // The refresh a list_changed started is bounded by its own tools/list time limit; an abort ends the wait.
      const refresh = context.settled();
      if (refresh !== undefined) await raceWithSignal(refresh, call.signal, `tool ${name}`);
      return toToolOutput(name, result as never, outputValidator, context.maxResultChars);
    } catch (error) {
      // The server refused the call before running it (401/403): once authorized, it may be called again.
      if (!authorized && context.authorize !== undefined && (await context.authorize(client, error))) {
        return callTool(client, args, call, true);
      }
      // The SDK rejects an aborted request with a timeout-coded McpError; the caller's reason is the truth.
      if (call.signal.aborted) throw abortErrorFrom(call.signal, `tool ${name}`);
      throw toMcpError(error, `tools/call ${name}`);
    }
  };
  return defineTool({
    name,
    description: definition.description ?? definition.title ?? definition.name,
    parameters: jsonSchemaToTypeBox(definition.inputSchema),
    timeoutMs: context.timeoutMs,
    // The SDK request carries the time limit and the signal (it rejects at either and sends
    // notifications/cancelled), so executeTool adds no timer or race of its own; the slow path below, which
    // waits for a connection or a tool-list refresh first, guards itself.
    enforcesLimits: true,
    needsApproval: context.approveTools && definition.annotations?.readOnlyHint !== true,
    execute: (args: Record<string, unknown>, call) => {
      const current = context.session();
      if (!(current instanceof Promise) && context.settled() === undefined) return callTool(current, args, call);
      const guard = combineSignals(`tool ${name}`, call.signal, context.timeoutMs);
      const guarded: ToolContext = { ...call, signal: guard.signal };
      return guard
        .race(Promise.resolve(current).then((client) => callTool(client, args, guarded)))
        .finally(() => guard.dispose());
    },
  });
}

/**
 * A progress token is asked for only when someone listens: with one, the SDK registers a progress handler
 * and the server may stream notifications, a cost every call would pay for nothing.
 */
function requestOptions(context: RemoteToolContext, signal: AbortSignal, toolCallId: string): RequestOptions {
  const { events, name, timeoutMs } = context;
  // The SDK adds an abort listener to the signal it gets and never removes it: a call nothing can cancel passes
  // none (on the shared never-aborting signal those listeners would pile up).
  const cancel = isCancellable(signal) ? { signal } : undefined;
  if (!events.hasListeners('tool-progress')) return { ...cancel, timeout: timeoutMs };
  return {
    ...cancel,
    timeout: timeoutMs,
    onprogress: (progress) => {
      const event: McpProgressEvent = { toolName: name, toolCallId, progress: progress.progress };
      if (progress.total !== undefined) event.total = progress.total;
      if (progress.message !== undefined) event.message = progress.message;
      events.emit('tool-progress', event);
    },
  };
}

const invalidNameCharacters = /[^a-zA-Z0-9_-]/g;

/** Core tool names are `^[a-zA-Z0-9_-]{1,64}$`; MCP names may hold dots and slashes and be longer. */
export function coreToolName(prefix: string, mcpName: string): string {
  const name = `${prefix}${mcpName}`.replace(invalidNameCharacters, '_').slice(0, 64);
  if (name === '') throw mcpError('mcp-invalid-tool', 'a server tool has an empty name');
  return name;
}
