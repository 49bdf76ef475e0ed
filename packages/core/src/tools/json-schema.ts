import type { TSchema } from '@sinclair/typebox';
import type { JsonSchema } from '../contracts/chat-model.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';

/**
 * JSON Schema flavours the providers accept:
 * - `json-schema`: plain JSON Schema (Anthropic `input_schema`, OpenAI non-strict, OpenAI-compatible servers);
 * - `openai-strict`: OpenAI structured-output rules: every object closed (`additionalProperties: false`),
 *   every property listed in `required`, optional ones made nullable instead; no `default`;
 * - `gemini`: the OpenAPI 3 subset Gemini's function declarations take: no `additionalProperties`,
 *   no `$schema`/`$id`, `const` as a one-value `enum`.
 */
export type JsonSchemaFlavour = 'json-schema' | 'openai-strict' | 'gemini';

/** Converts a TypeBox (or plain JSON) schema into the given flavour, as fresh plain data. */
export function toJsonSchema(schema: TSchema | JsonSchema, flavour: JsonSchemaFlavour = 'json-schema'): JsonSchema {
  // JSON round trip drops TypeBox's symbol-keyed metadata and gives us a private copy to rewrite.
  const plain = JSON.parse(JSON.stringify(schema)) as JsonSchema;
  switch (flavour) {
    case 'json-schema':
      return plain;
    case 'openai-strict':
      return toOpenAiStrict(plain, '');
    case 'gemini':
      return toGemini(plain);
  }
}

function toOpenAiStrict(node: JsonSchema, path: string): JsonSchema {
  const result: JsonSchema = { ...node };
  delete result.default;
  delete result.$id;
  if (result.patternProperties !== undefined) {
    throw new AgenticGenError(
      'unsupported',
      `[tools] OpenAI strict mode cannot express records (patternProperties) at ${path || '(root)'}; use a fixed object or set strict: false`,
    );
  }
  if (result.type === 'object' || result.properties !== undefined) {
    const properties = (result.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((result.required as string[] | undefined) ?? []);
    const converted: Record<string, JsonSchema> = {};
    for (const [key, child] of Object.entries(properties)) {
      const strictChild = toOpenAiStrict(child, `${path}/${key}`);
      converted[key] = required.has(key) ? strictChild : makeNullable(strictChild);
    }
    result.properties = converted;
    result.required = Object.keys(converted);
    result.additionalProperties = false;
  }
  if (result.items !== undefined && typeof result.items === 'object') {
    result.items = toOpenAiStrict(result.items as JsonSchema, `${path}/items`);
  }
  for (const keyword of ['anyOf', 'allOf', 'oneOf'] as const) {
    const list = result[keyword];
    if (Array.isArray(list)) {
      result[keyword === 'oneOf' ? 'anyOf' : keyword] = list.map((child: JsonSchema, index: number) =>
        toOpenAiStrict(child, `${path}/${keyword}/${index}`),
      );
      if (keyword === 'oneOf') delete result.oneOf;
    }
  }
  return result;
}

function makeNullable(schema: JsonSchema): JsonSchema {
  if (typeof schema.type === 'string' && schema.anyOf === undefined) {
    const nullable: JsonSchema = { ...schema, type: [schema.type, 'null'] };
    if (Array.isArray(schema.enum)) nullable.enum = [...schema.enum, null];
    return nullable;
  }
  return { anyOf: [schema, { type: 'null' }] };
}

function toGemini(node: JsonSchema): JsonSchema {
  const result: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'additionalProperties' || key === '$schema' || key === '$id' || key === 'patternProperties') continue;
    if (key === 'const') {
      result.enum = [value];
      continue;
    }
    if (key === 'properties' && value !== null && typeof value === 'object') {
      result.properties = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([name, child]) => [name, toGemini(child)]),
      );
    } else if ((key === 'items' || key === 'not') && value !== null && typeof value === 'object') {
      result[key] = toGemini(value as JsonSchema);
    } else if ((key === 'anyOf' || key === 'allOf' || key === 'oneOf') && Array.isArray(value)) {
      result[key === 'oneOf' ? 'anyOf' : key] = value.map((child: JsonSchema) => toGemini(child));
    } else {
      result[key] = value;
    }
  }
  return result;
}
