import type { TSchema } from '@sinclair/typebox';
import type { JsonSchema } from '../contracts/chat-model.js';

type SchemaNode = Record<string, unknown>;

/**
 * OpenAI strict mode turns optional properties into required nullable ones, so models send `null` for
 * "not given". Before validation we remove such `null`s where the schema says the property is optional and
 * does not itself accept `null`, so strict and non-strict tools receive the same arguments. Returns a copy
 * when the schema has such a property (the input is never changed), else the input itself: most tools have
 * none, and this runs on every tool call.
 */
export function dropNullOptionals(schema: TSchema | JsonSchema, value: unknown): unknown {
  return canDrop(schema as SchemaNode) ? visit(schema as SchemaNode, value) : value;
}

/** Per schema: whether some optional property that does not accept `null` sits anywhere inside it. */
const droppable = new WeakMap<SchemaNode, boolean>();

function canDrop(schema: SchemaNode): boolean {
  let known = droppable.get(schema);
  if (known === undefined) {
    droppable.set(schema, false); // a schema that contains itself is not walked twice
    known = findDroppable(schema);
    droppable.set(schema, known);
  }
  return known;
}

function findDroppable(schema: SchemaNode): boolean {
  if (isNode(schema.items) && canDrop(schema.items)) return true;
  if (!isNode(schema.properties)) return false;
  const required = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
  for (const [key, child] of Object.entries(schema.properties as Record<string, unknown>)) {
    if (!isNode(child)) continue;
    if (!required.includes(key) && !acceptsNull(child)) return true;
    if (canDrop(child)) return true;
  }
  return false;
}

function visit(schema: SchemaNode, value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = schema.items;
    return isNode(items) ? value.map((item) => visit(items, item)) : value;
  }
  if (value === null || typeof value !== 'object' || !isNode(schema.properties)) return value;
  const properties = schema.properties as Record<string, SchemaNode>;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childSchema = properties[key];
    if (childSchema === undefined) {
      result[key] = child;
      continue;
    }
    if (child === null && !required.has(key) && !acceptsNull(childSchema)) continue;
    result[key] = visit(childSchema, child);
  }
  return result;
}

function acceptsNull(schema: SchemaNode): boolean {
  if (schema.type === 'null' || (Array.isArray(schema.type) && schema.type.includes('null'))) return true;
  if (Array.isArray(schema.enum) && schema.enum.includes(null)) return true;
  if (schema.const === null) return true;
  const branches = [schema.anyOf, schema.oneOf].filter(Array.isArray).flat() as SchemaNode[];
  // A schema without type constraints (Type.Unknown / Type.Any) accepts null as a value.
  if (schema.type === undefined && branches.length === 0 && schema.$ref === undefined && schema.enum === undefined) {
    return schema.const === undefined && schema.allOf === undefined;
  }
  return branches.some(acceptsNull);
}

function isNode(value: unknown): value is SchemaNode {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
