import type { TSchema } from '@sinclair/typebox';
import type { JsonSchema } from '../contracts/chat-model.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';

/**
 * JSON Schema flavours the providers accept:
 * - `json-schema`: plain JSON Schema (Anthropic `input_schema`, OpenAI non-strict, OpenAI-compatible servers);
 * - `openai-strict`: OpenAI structured-output rules: every object closed (`additionalProperties: false`),
 *   every property listed in `required`, optional ones made nullable instead; only the supported keywords
 *   (`oneOf` becomes `anyOf`, `const` becomes a one-value `enum`, `default` and length/uniqueness constraints
 *   are dropped — our own validator still enforces them); unsupported constructs are an `unsupported` error.
 * Gemini takes plain JSON Schema (`parametersJsonSchema`, `responseJsonSchema`), so it needs no flavour.
 */
export type JsonSchemaFlavour = 'json-schema' | 'openai-strict';

/** Converts a TypeBox (or plain JSON) schema into the given flavour, as fresh plain data. */
export function toJsonSchema(schema: TSchema | JsonSchema, flavour: JsonSchemaFlavour = 'json-schema'): JsonSchema {
  // JSON round trip drops TypeBox's symbol-keyed metadata and gives us a private copy to rewrite.
  const plain = JSON.parse(JSON.stringify(schema)) as JsonSchema;
  switch (flavour) {
    case 'json-schema':
      return plain;
    case 'openai-strict':
      if (plain.type !== 'object') unsupported('openai-strict', '', 'the root must be an object schema');
      return toOpenAiStrict(plain, '');
    default:
      throw new AgenticGenError(
        'invalid-argument',
        `[tools] unknown JSON Schema flavour ${JSON.stringify(flavour)}; use json-schema or openai-strict`,
      );
  }
}

/** Keywords OpenAI strict mode accepts (structured outputs "supported schemas"). */
const openAiKeywords = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'anyOf',
  'description',
  'title',
  '$defs',
  '$ref',
  'pattern',
  'format',
  'multipleOf',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minItems',
  'maxItems',
]);

/** Keywords no flavour can express by dropping them; they change what is valid, so they fail loudly. */
const inexpressible = ['not', 'if', 'then', 'else', 'dependentRequired', 'dependentSchemas', 'patternProperties'];

function toOpenAiStrict(input: JsonSchema, path: string): JsonSchema {
  const node = normalize(input, path, 'openai-strict');
  const result: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) if (openAiKeywords.has(key)) result[key] = value;
  if (node.type === undefined && node.anyOf === undefined && node.enum === undefined && node.$ref === undefined) {
    unsupported('openai-strict', path, 'every value needs a type (Type.Unknown / Type.Any cannot be enforced)');
  }
  if (result.type === 'object' || result.properties !== undefined) {
    const properties = (result.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((node.required as string[] | undefined) ?? []);
    const converted: Record<string, JsonSchema> = {};
    for (const [key, child] of Object.entries(properties)) {
      const strictChild = toOpenAiStrict(child, `${path}/${key}`);
      converted[key] = required.has(key) ? strictChild : makeNullable(strictChild);
    }
    result.properties = converted;
    result.required = Object.keys(converted);
    result.additionalProperties = false;
  }
  if (isSchema(result.items)) result.items = toOpenAiStrict(result.items, `${path}/items`);
  if (Array.isArray(result.anyOf)) {
    result.anyOf = result.anyOf.map((child: JsonSchema, index: number) =>
      toOpenAiStrict(child, `${path}/anyOf/${index}`),
    );
  }
  if (isSchema(result.$defs)) {
    result.$defs = Object.fromEntries(
      Object.entries(result.$defs as Record<string, JsonSchema>).map(([name, child]) => [
        name,
        toOpenAiStrict(child, `${path}/$defs/${name}`),
      ]),
    );
  }
  return result;
}

/** Optional → nullable, the OpenAI strict way: a type union for scalars, an `anyOf` branch otherwise. */
function makeNullable(schema: JsonSchema): JsonSchema {
  if (acceptsNull(schema)) return schema;
  if (Array.isArray(schema.anyOf)) return { ...schema, anyOf: [...schema.anyOf, { type: 'null' }] };
  const scalar = typeof schema.type === 'string' && schema.type !== 'object' && schema.type !== 'array';
  if (scalar) {
    const nullable: JsonSchema = { ...schema, type: [schema.type, 'null'] };
    if (Array.isArray(schema.enum)) nullable.enum = [...schema.enum, null];
    return nullable;
  }
  return { anyOf: [schema, { type: 'null' }] };
}

function acceptsNull(schema: JsonSchema): boolean {
  if (schema.type === 'null' || (Array.isArray(schema.type) && schema.type.includes('null'))) return true;
  return Array.isArray(schema.anyOf) && schema.anyOf.some((child: JsonSchema) => acceptsNull(child));
}

/**
 * Rewrites what a restricted flavour cannot take as is: `oneOf` → `anyOf`, `const` → one-value `enum`, a union of
 * constants → one `enum`, an `allOf` of plain objects → one merged object; fails on inexpressible keywords.
 */
function normalize(input: JsonSchema, path: string, flavour: JsonSchemaFlavour): JsonSchema {
  let node: JsonSchema = { ...input };
  for (const keyword of inexpressible) {
    if (node[keyword] !== undefined) {
      const hint = keyword === 'patternProperties' ? ' (records); use a fixed object' : '';
      unsupported(flavour, path, `"${keyword}" cannot be expressed${hint}`);
    }
  }
  if (Array.isArray(node.oneOf)) {
    node.anyOf = [...((node.anyOf as JsonSchema[] | undefined) ?? []), ...node.oneOf];
    delete node.oneOf;
  }
  if (node.const !== undefined) {
    node.enum = [node.const];
    delete node.const;
  }
  if (Array.isArray(node.anyOf) && node.anyOf.length > 0 && node.anyOf.every(isConstant)) {
    const branches = node.anyOf as JsonSchema[];
    const values = branches.map((branch) =>
      branch.const !== undefined ? branch.const : (branch.enum as unknown[])[0],
    );
    const types = new Set(branches.map((branch) => branch.type));
    delete node.anyOf;
    node.enum = values;
    const [type] = types;
    if (types.size === 1 && typeof type === 'string') node.type = type;
  }
  if (Array.isArray(node.allOf)) node = mergeAllOf(node, path, flavour);
  return node;
}

function isConstant(schema: JsonSchema): boolean {
  return schema.const !== undefined || (Array.isArray(schema.enum) && schema.enum.length === 1);
}

function mergeAllOf(node: JsonSchema, path: string, flavour: JsonSchemaFlavour): JsonSchema {
  const parts = node.allOf as JsonSchema[];
  if (!parts.every((part) => part.type === 'object' && part.properties !== undefined)) {
    unsupported(flavour, path, '"allOf" is only supported as an intersection of plain objects (Type.Intersect)');
  }
  const merged: JsonSchema = { ...node, type: 'object', properties: {}, required: [] };
  delete merged.allOf;
  delete merged.unevaluatedProperties;
  for (const part of parts) {
    Object.assign(merged.properties as JsonSchema, part.properties);
    (merged.required as string[]).push(...((part.required as string[] | undefined) ?? []));
  }
  merged.required = [...new Set(merged.required as string[])];
  return merged;
}

function isSchema(value: unknown): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function unsupported(flavour: JsonSchemaFlavour, path: string, problem: string): never {
  throw new AgenticGenError(
    'unsupported',
    `[tools] ${flavour} schema at ${path || '(root)'}: ${problem}${flavour === 'openai-strict' ? '; or set strict: false on the tool' : ''}`,
    { data: { flavour, path } },
  );
}
