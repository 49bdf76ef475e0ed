export {
  type AnyTool,
  type ArgumentsValidator,
  defineTool,
  type SyncArgumentsValidator,
  type Tool,
  type ToolContext,
  type ToolDefinition,
} from './define-tool.js';
export { type ExecuteToolOptions, executeTool, type ToolOutcome } from './execute-tool.js';
export { type JsonSchemaFlavour, toJsonSchema } from './json-schema.js';
export { ToolRegistry } from './tool-registry.js';
