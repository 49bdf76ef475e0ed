/** The Node entry: everything of the browser-safe entry, with the stdio transport available. */
import { createMcpClientFactory } from './client/mcp-client.js';
import { openStdioTransport } from './node/stdio.js';
import { createMcpPluginFactory } from './plugin/mcp-plugin.js';

export {
  type AddResourcesOptions,
  addMcpResourcesToKnowledge,
  type CustomTransportConfig,
  createMcpServer,
  jsonSchemaToTypeBox,
  type McpClient,
  type McpClientOptions,
  type McpContentPart,
  type McpErrorCode,
  type McpPluginOptions,
  type McpProgressEvent,
  type McpProgressReporter,
  type McpServerEntry,
  type McpServerFactory,
  type McpServerOptions,
  type McpToolOutput,
  type McpTransportConfig,
  mcpContent,
  mcpErrorCodes,
  mcpPromptAsInstructions,
  mcpToolContext,
  type SamplingOptions,
  type SamplingRequest,
  type SchemaLimits,
  type ServerRequestHandlers,
  type SseTransportConfig,
  type StdioTransportConfig,
  type StreamableHttpTransportConfig,
} from './index.js';
export { createMcpHttpHandler, type McpHttpHandler, type McpHttpHandlerOptions, serveStdio } from './node/serve.js';

/** Connects to an MCP server over stdio (spawns a command), Streamable HTTP, HTTP+SSE or a custom transport. */
export const createMcpClient = createMcpClientFactory(openStdioTransport);

/** The runtime plugin, with stdio servers available. */
export const createMcpPlugin = createMcpPluginFactory(createMcpClient);

/** @deprecated Use `createMcpPlugin` (factories are named `create*`, like `createMetricsPlugin`); this alias is removed in the next minor release. */
export const mcpPlugin = createMcpPlugin;
