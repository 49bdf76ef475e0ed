export {
  type AnyTool,
  type ArgumentsValidator,
  defineTool,
  type SyncArgumentsValidator,
  suspend,
  type Tool,
  type ToolContext,
  type ToolDefinition,
  type ToolSuspend,
  type ToolSuspendRequest,
} from './define-tool.js';
export { type ExecuteToolOptions, executeTool, type ToolOutcome } from './execute-tool.js';
export { type JsonSchemaFlavour, toJsonSchema } from './json-schema.js';
export { ToolRegistry } from './tool-registry.js';
