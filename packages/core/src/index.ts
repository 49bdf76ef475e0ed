/**
 * @agenticgen/core — contracts, errors, schemas, tools, plugin runtime, events and telemetry.
 * This file only re-exports the public surface.
 */
export * from './agents/index.js';
export type * from './contracts/index.js';
export * from './errors/index.js';
export * from './events/index.js';
export * from './filters/index.js';
export * from './knowledge/index.js';
export * from './models/index.js';
export * from './orchestration/index.js';
export * from './plugins/index.js';
export * from './schema/index.js';
export * from './telemetry/index.js';
export * from './tools/index.js';
