import { AgenticGenError, createErrorFactory, type ScopedErrorFactory } from '@agenticgen/core';
import { type McpErrorCode, mcpErrorCodes } from './error-codes.js';

export type { McpErrorCode } from './error-codes.js';

/** Builds an AgenticGenError whose message starts with the `[mcp] ` scope (declared codes only, see error-codes.ts). */
export const mcpError: ScopedErrorFactory<McpErrorCode> = createErrorFactory('mcp', mcpErrorCodes);

/** Longest server-provided text copied into an error message (servers are not trusted to be brief). */
const maxEchoedChars = 300;

/** Cuts text a server or a caller supplied before it goes into a message. */
export function clip(text: string, limit = maxEchoedChars): string {
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length} chars)` : text;
}

/** JSON-RPC / MCP error codes the SDK uses (kept here so the mapping below reads as data). */
const jsonRpc = { connectionClosed: -32000, requestTimeout: -32001, parseError: -32700, invalidRequest: -32600 };

/**
 * Maps anything the SDK throws onto a declared code. The SDK signals a closed transport and a timeout as
 * `McpError`s with reserved codes; anything else with a numeric code is the server's own JSON-RPC error.
 */
export function toMcpError(error: unknown, what: string): AgenticGenError {
  if (AgenticGenError.isInstance(error)) return error;
  const message = clip(error instanceof Error ? error.message : String(error));
  const code = typeof (error as { code?: unknown })?.code === 'number' ? (error as { code: number }).code : undefined;
  const data = code === undefined ? undefined : { jsonRpcCode: code };
  const options = data === undefined ? { cause: error } : { cause: error, data };
  if (code === jsonRpc.connectionClosed) return mcpError('mcp-connection-closed', `${what}: ${message}`, options);
  if (code === jsonRpc.requestTimeout) return mcpError('timeout', `${what}: ${message}`, options);
  if (code === jsonRpc.parseError || code === jsonRpc.invalidRequest) {
    return mcpError('mcp-protocol-error', `${what}: ${message}`, options);
  }
  if (code !== undefined) return mcpError('mcp-request-failed', `${what}: ${message}`, options);
  // The SDK rejects with the schema library's error (a list of `issues`) when a result has the wrong shape.
  if (Array.isArray((error as { issues?: unknown })?.issues)) {
    return mcpError('mcp-protocol-error', `${what}: the server's answer does not match the MCP schema: ${message}`, {
      cause: error,
    });
  }
  return mcpError('mcp-request-failed', `${what}: ${message}`, { cause: error });
}
