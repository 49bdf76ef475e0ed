export * from './create-runtime.js';
export * from './define-plugin.js';
export * from './hooks.js';
export * from './named-registry.js';
export * from './plugin-order.js';
export type * from './runtime.js';
