import { AgenticGenError, type AgenticGenErrorOptions } from '@agenticgen/core';

/**
 * Codes this package throws (documented in docs/mcp.md):
 * - `invalid-argument`      a call's input is not acceptable (unknown tool, empty URI, …);
 * - `not-found`             a resource URI or prompt name the server does not offer;
 * - `invalid-config`        an option of `createMcpClient`, `mcpPlugin` or `createMcpServer` is not acceptable;
 * - `unsupported`           the transport needs another runtime (stdio in a browser) or the server lacks a capability;
 * - `timeout`               the server did not answer within the call's time limit (retryable);
 * - `aborted`               the caller cancelled the call (the server is sent `notifications/cancelled`);
 * - `disposed`              the client, plugin or server was closed;
 * - `mcp-connect-failed`    connecting or the `initialize` handshake failed (retryable);
 * - `mcp-connection-closed` the server went away while a call was pending (crash, closed stream; retryable);
 * - `mcp-protocol-error`    the server sent something that is not valid MCP/JSON-RPC for the request;
 * - `mcp-request-failed`    the server answered with a JSON-RPC error;
 * - `mcp-invalid-result`    a tool result failed the tool's own `outputSchema`;
 * - `mcp-tool-error`        the tool answered `isError: true` (the model reads the content);
 * - `mcp-invalid-tool`      a server's tool definition cannot be turned into a core tool;
 * - `mcp-limit-exceeded`    a result, a tool list or a schema is larger than the configured limit;
 * - `mcp-request-refused`   a server request (sampling, elicitation) was refused by the host.
 */
export type McpErrorCode =
  | 'invalid-argument'
  | 'not-found'
  | 'invalid-config'
  | 'unsupported'
  | 'timeout'
  | 'aborted'
  | 'disposed'
  | 'mcp-connect-failed'
  | 'mcp-connection-closed'
  | 'mcp-protocol-error'
  | 'mcp-request-failed'
  | 'mcp-invalid-result'
  | 'mcp-tool-error'
  | 'mcp-invalid-tool'
  | 'mcp-limit-exceeded'
  | 'mcp-request-refused';

const retryableCodes: ReadonlySet<McpErrorCode> = new Set(['timeout', 'mcp-connect-failed', 'mcp-connection-closed']);

/** Builds an AgenticGenError whose message starts with the `[mcp] ` scope. */
export function mcpError(code: McpErrorCode, message: string, options: AgenticGenErrorOptions = {}): AgenticGenError {
  return new AgenticGenError(code, `[mcp] ${message}`, { retryable: retryableCodes.has(code), ...options });
}

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
