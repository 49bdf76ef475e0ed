export { type CreateRuntimeOptions, createRuntime, type PluginConfigIssue } from './create-runtime.js';
export {
  type AnyPlugin,
  definePlugin,
  type Plugin,
  type PluginContext,
  type PluginContribution,
  type PluginDefinition,
} from './define-plugin.js';
export {
  type HookDeclaration,
  type HookHandler,
  type HookName,
  type HookPayloads,
  type HookRunner,
  hookNames,
  type PluginHooks,
} from './hooks.js';
export type { NamedRegistry } from './named-registry.js';
export type {
  AgentFactory,
  Runtime,
  RuntimeModelCall,
  RuntimePluginInfo,
  RuntimeProviders,
  RuntimeToolCall,
} from './runtime.js';
