/**
 * @agenticgen/mcp — Model Context Protocol client and server for AgenticGen.
 * This entry is browser-safe (Streamable HTTP, HTTP+SSE, custom transports); the Node entry adds stdio.
 */
import { createMcpClientFactory } from './client/mcp-client.js';
import { createMcpPluginFactory } from './plugin/mcp-plugin.js';

export { jsonSchemaToTypeBox, type SchemaLimits } from './client/json-schema-to-typebox.js';
export {
  type AddResourcesOptions,
  addMcpResourcesToKnowledge,
  mcpPromptAsInstructions,
} from './client/knowledge-sources.js';
export type { McpClient, McpClientEvents, McpClientOptions, McpProgressEvent } from './client/mcp-client.js';
export type { SamplingOptions, SamplingRequest, ServerRequestHandlers } from './client/server-requests.js';
export type { McpContentPart, McpToolOutput } from './client/tool-result.js';
export type {
  CustomTransportConfig,
  McpTransportConfig,
  SseTransportConfig,
  StdioTransportConfig,
  StreamableHttpTransportConfig,
} from './client/transport.js';
export type { McpErrorCode } from './errors.js';
export type { McpPluginOptions, McpServerEntry } from './plugin/mcp-plugin.js';
export { createMcpServer, type McpServerFactory, type McpServerOptions } from './server/mcp-server.js';
export type { McpPrompt } from './server/prompts.js';
export type { McpCompleter, McpResource, McpResourceBody, McpResourceTemplate } from './server/resources.js';
export type { McpProgressReporter } from './server/served-tools.js';
export { type McpToolContent, type McpToolContext, mcpContent, mcpToolContext } from './server/tool-context.js';

/** Connects to an MCP server. In browsers stdio is `unsupported`; use streamable-http, sse or custom. */
export const createMcpClient = createMcpClientFactory(undefined);

/** The runtime plugin: connects every configured server at setup and registers its tools, namespaced. */
export const createMcpPlugin = createMcpPluginFactory(createMcpClient);

/** @deprecated Use `createMcpPlugin` (factories are named `create*`, like `createMetricsPlugin`); this alias is removed in the next minor release. */
export const mcpPlugin = createMcpPlugin;
export { mcpErrorCodes } from './error-codes.js';
