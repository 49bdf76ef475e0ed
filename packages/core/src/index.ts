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
export { disposeOnce } from './resources/dispose-once.js';
export * from './schema/index.js';
// The in-memory stores and the input checks every store driver shares (named: see the API surface in #18).
export {
  type AgentStore,
  checkChatMessage,
  checkMetadata,
  checkPageSize,
  checkStoreId,
  createMemoryStore,
  decodeSeqCursor,
  decodeThreadCursor,
  encodeThreadCursor,
  idempotencyKeyOf,
  metadataMatches,
  newStoreId,
  storeLimits,
  toStoreJson,
} from './storage/index.js';
export {
  type AnySchema,
  type DeepPartial,
  type GenerateArrayOptions,
  type GenerateEnumOptions,
  type GenerateJsonOptions,
  type GenerateObjectOptions,
  type GenerateObjectResult,
  generateObject,
  type InferSchema,
  isStandardSchema,
  type OutputKind,
  type ParsedAnswer,
  PartialJsonParser,
  type PartialJsonParserOptions,
  parseJsonAnswer,
  type ResolvedSchema,
  resolveSchema,
  type StreamObjectPart,
  type StreamObjectResult,
  type StructuredCallOptions,
  type StructuredMode,
  streamObject,
} from './structured/index.js';
export * from './telemetry/index.js';
export * from './tools/index.js';
