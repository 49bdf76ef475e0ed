import { type TSchema, Type } from '@agenticgen/core';
import { mcpError } from '../errors.js';

/** Deepest nesting and largest node count accepted in a server's schema (a server is not trusted to be small). */
export interface SchemaLimits {
  /** Default 32. */
  maxDepth: number;
  /** Default 5,000. */
  maxNodes: number;
}

const defaultLimits: SchemaLimits = { maxDepth: 32, maxNodes: 5_000 };

/** Keywords copied onto the TypeBox node as they are: they constrain values and TypeBox checks them. */
const passThrough = [
  'description',
  'title',
  'default',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
] as const;

type JsonObject = Record<string, unknown>;

/**
 * Turns a server's JSON Schema (an MCP tool's `inputSchema` / `outputSchema`) into a TypeBox schema, so core's
 * validator checks arguments before they leave the process. What TypeBox cannot check the way JSON Schema
 * means it is loosened, never tightened: `$ref`, `not`, conditionals become "anything" (the server still
 * validates), and `format` is dropped (TypeBox rejects unknown formats). A valid call is therefore never refused.
 */
export function jsonSchemaToTypeBox(schema: unknown, limits: Partial<SchemaLimits> = {}): TSchema {
  const bounds = { ...defaultLimits, ...limits };
  let nodes = 0;
  const convert = (node: unknown, depth: number, path: string): TSchema => {
    nodes++;
    if (nodes > bounds.maxNodes) {
      throw mcpError('mcp-limit-exceeded', `schema has more than ${bounds.maxNodes} nodes`, { data: { path } });
    }
    if (depth > bounds.maxDepth) {
      throw mcpError('mcp-limit-exceeded', `schema nests deeper than ${bounds.maxDepth} levels at ${path || '/'}`, {
        data: { path },
      });
    }
    if (node === true || node === undefined) return Type.Unknown();
    if (node === false) return Type.Never();
    if (node === null || typeof node !== 'object' || Array.isArray(node)) {
      throw mcpError('mcp-invalid-tool', `schema node at ${path || '/'} is not an object`, { data: { path } });
    }
    const source = node as JsonObject;
    const options = pick(source);
    const child = (value: unknown, key: string) => convert(value, depth + 1, `${path}/${key}`);
    if ('$ref' in source || 'not' in source || 'if' in source) return Type.Unknown(options);
    if ('const' in source) return literalOrUnknown(source.const, options);
    if (Array.isArray(source.enum)) {
      const literals = source.enum.map((value) => literalOrUnknown(value, {}));
      return literals.length === 1 ? { ...(literals[0] as TSchema), ...options } : Type.Union(literals, options);
    }
    const branches = (source.anyOf ?? source.oneOf) as unknown[] | undefined;
    if (Array.isArray(branches))
      return Type.Union(
        branches.map((branch, index) => child(branch, `anyOf/${index}`)),
        options,
      );
    if (Array.isArray(source.allOf)) {
      return Type.Intersect(
        source.allOf.map((branch, index) => child(branch, `allOf/${index}`)),
        options,
      );
    }
    const types = Array.isArray(source.type) ? (source.type as unknown[]) : [source.type];
    if (types.length > 1) {
      return Type.Union(
        types.map((type, index) => child({ ...source, type }, `type/${index}`)),
        options,
      );
    }
    const [type] = types;
    switch (type) {
      case 'string':
        return Type.String(options);
      case 'number':
        return Type.Number(options);
      case 'integer':
        return Type.Integer(options);
      case 'boolean':
        return Type.Boolean(options);
      case 'null':
        return Type.Null(options);
      case 'array':
        return Type.Array(child(source.items, 'items'), options);
      case 'object':
        return objectSchema(source, options, child);
      case undefined:
        return source.properties === undefined ? Type.Unknown(options) : objectSchema(source, options, child);
      default:
        throw mcpError('mcp-invalid-tool', `unknown JSON Schema type at ${path || '/'}`, { data: { path } });
    }
  };
  return convert(schema, 0, '');
}

function objectSchema(
  source: JsonObject,
  options: JsonObject,
  child: (value: unknown, key: string) => TSchema,
): TSchema {
  const required = new Set(Array.isArray(source.required) ? (source.required as unknown[]) : []);
  const properties: Record<string, TSchema> = {};
  const declared = (source.properties ?? {}) as JsonObject;
  for (const [key, value] of Object.entries(declared)) {
    const converted = child(value, `properties/${key}`);
    properties[key] = required.has(key) ? converted : Type.Optional(converted);
  }
  const additional = source.additionalProperties;
  const objectOptions: JsonObject = { ...options };
  if (additional === false) objectOptions.additionalProperties = false;
  else if (additional !== undefined && additional !== true) {
    objectOptions.additionalProperties = child(additional, 'additionalProperties');
  }
  return Type.Object(properties, objectOptions);
}

function literalOrUnknown(value: unknown, options: JsonObject): TSchema {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return Type.Literal(value, options);
  }
  if (value === null) return Type.Null(options);
  return Type.Unknown(options);
}

function pick(source: JsonObject): JsonObject {
  const options: JsonObject = {};
  for (const key of passThrough) if (source[key] !== undefined) options[key] = source[key];
  return options;
}
