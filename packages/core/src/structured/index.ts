export {
  type GenerateArrayOptions,
  type GenerateEnumOptions,
  type GenerateJsonOptions,
  type GenerateObjectOptions,
  type GenerateObjectResult,
  generateObject,
} from './generate-object.js';
export {
  type AnySchema,
  type InferSchema,
  isStandardSchema,
  type ResolvedSchema,
  resolveSchema,
} from './output-schema.js';
export type { OutputKind } from './output-strategy.js';
export { PartialJsonParser, type PartialJsonParserOptions } from './partial-json.js';
export { type DeepPartial, type StreamObjectPart, type StreamObjectResult, streamObject } from './stream-object.js';
export {
  type ParsedAnswer,
  parseJsonAnswer,
  type StructuredCallOptions,
  type StructuredMode,
} from './structured-request.js';
