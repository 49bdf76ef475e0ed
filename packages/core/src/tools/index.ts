export * from './define-tool.js';
export * from './execute-tool.js';
export * from './json-schema.js';
export * from './tool-registry.js';
