import type { ErrorCodeTable } from '@agenticgen/core';

/** The codes `@agenticgen/mcp` throws: the source of `McpErrorCode`, `mcpError`'s defaults and docs/errors.md. */
export const mcpErrorCodes = {
  'invalid-argument': { retryable: false, meaning: "a call's input is not acceptable (unknown tool, empty URI, …)" },
  'not-found': { retryable: false, meaning: 'a resource URI or prompt name the server does not offer' },
  'invalid-config': {
    retryable: false,
    meaning: 'an option of `createMcpClient`, `createMcpPlugin` or `createMcpServer` is not acceptable',
  },
  unsupported: {
    retryable: false,
    meaning: 'the transport needs another runtime (stdio in a browser) or the server lacks a capability',
  },
  timeout: { retryable: true, meaning: "the server did not answer within the call's time limit" },
  aborted: {
    retryable: false,
    meaning: 'the caller cancelled the call (the server is sent `notifications/cancelled`)',
  },
  disposed: { retryable: false, meaning: 'the client, plugin or server was closed' },
  'mcp-connect-failed': { retryable: true, meaning: 'connecting or the `initialize` handshake failed' },
  'mcp-connection-closed': {
    retryable: true,
    meaning: 'the server went away while a call was pending (crash, closed stream)',
  },
  'mcp-protocol-error': {
    retryable: false,
    meaning: 'the server sent something that is not valid MCP/JSON-RPC for the request',
  },
  'mcp-request-failed': { retryable: false, meaning: 'the server answered with a JSON-RPC error' },
  'mcp-invalid-result': { retryable: false, meaning: "a tool result failed the tool's own `outputSchema`" },
  'mcp-tool-error': { retryable: false, meaning: 'the tool answered `isError: true` (the model reads the content)' },
  'mcp-invalid-tool': { retryable: false, meaning: "a server's tool definition cannot be turned into a core tool" },
  'mcp-limit-exceeded': {
    retryable: false,
    meaning: 'a result, a tool list or a schema is larger than the configured limit',
  },
  'mcp-request-refused': {
    retryable: false,
    meaning: 'a server request (sampling, elicitation) was refused by the host',
  },
} as const satisfies ErrorCodeTable;

export type McpErrorCode = keyof typeof mcpErrorCodes;

declare module '@agenticgen/core' {
  /** Declares this package's codes, so `new AgenticGenError(code, …)` accepts them and nothing undeclared. */
  interface ErrorCodeRegistry extends Record<McpErrorCode, true> {}
}
