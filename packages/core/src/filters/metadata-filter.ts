import type { FieldOperators, Metadata, MetadataFilter, MetadataValue } from '../contracts/vector-store.js';
import { AgenticGenError } from '../errors/agenticgen-error.js';

const fieldOperators = new Set(['$eq', '$ne', '$in', '$nin', '$gt', '$gte', '$lt', '$lte', '$exists']);
const logicalOperators = new Set(['$and', '$or', '$not']);
const fieldNamePattern = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;

function invalid(path: string, problem: string): AgenticGenError {
  return new AgenticGenError(
    'invalid-filter',
    `[filter] ${problem} at ${path || '(root)'}; filters look like { lang: 'en', year: { $gte: 2020 }, $or: [...] }`,
    { data: { path } },
  );
}

function isScalar(value: unknown): value is MetadataValue {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/**
 * Checks a filter's shape once, before a store runs it, so a typo (`$gte` spelled `$gt3`, a function value)
 * is an `invalid-filter` error instead of silently matching nothing.
 */
export function validateFilter(filter: unknown, path = ''): asserts filter is MetadataFilter {
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter))
    throw invalid(path, 'a filter must be an object');
  for (const [key, value] of Object.entries(filter)) {
    const at = `${path}/${key}`;
    if (key.startsWith('$')) {
      if (!logicalOperators.has(key)) throw invalid(at, `unknown operator "${key}"`);
      if (key === '$not') validateFilter(value, at);
      else {
        if (!Array.isArray(value) || value.length === 0) throw invalid(at, `${key} takes a non-empty array of filters`);
        for (const [index, child] of value.entries()) validateFilter(child, `${at}/${index}`);
      }
      continue;
    }
    if (!fieldNamePattern.test(key)) throw invalid(at, `invalid field name "${key}"`);
    if (isScalar(value)) continue;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw invalid(at, 'a field takes a string, finite number, boolean, null or an operator object');
    }
    const operators = Object.entries(value);
    if (operators.length === 0) throw invalid(at, 'empty operator object');
    for (const [operator, operand] of operators) {
      if (!fieldOperators.has(operator)) throw invalid(`${at}/${operator}`, `unknown operator "${operator}"`);
      if (operator === '$in' || operator === '$nin') {
        if (!Array.isArray(operand) || !operand.every(isScalar))
          throw invalid(`${at}/${operator}`, `${operator} takes an array of scalars`);
      } else if (operator === '$exists') {
        if (typeof operand !== 'boolean') throw invalid(`${at}/${operator}`, '$exists takes true or false');
      } else if (operator === '$eq' || operator === '$ne') {
        if (!isScalar(operand)) throw invalid(`${at}/${operator}`, `${operator} takes a scalar`);
      } else if (!(typeof operand === 'string' || (typeof operand === 'number' && Number.isFinite(operand)))) {
        throw invalid(`${at}/${operator}`, `${operator} takes a finite number or a string`);
      }
    }
  }
}

function compare(actual: MetadataValue | undefined, operator: string, operand: unknown): boolean {
  switch (operator) {
    case '$eq':
      return actual === operand;
    case '$ne':
      return actual !== operand;
    case '$in':
      return (operand as readonly MetadataValue[]).includes(actual as MetadataValue);
    case '$nin':
      return !(operand as readonly MetadataValue[]).includes(actual as MetadataValue);
    case '$exists':
      return (actual !== undefined) === operand;
    default: {
      // Ordering only between values of the same type: a string never compares with a number.
      if (typeof actual !== typeof operand || (typeof actual !== 'number' && typeof actual !== 'string')) return false;
      const left = actual as number | string;
      const right = operand as number | string;
      if (operator === '$gt') return left > right;
      if (operator === '$gte') return left >= right;
      if (operator === '$lt') return left < right;
      return left <= right;
    }
  }
}

/** Whether `metadata` matches `filter` (assumed valid: call `validateFilter` once per query first). */
export function matchesFilter(metadata: Metadata, filter: MetadataFilter): boolean {
  for (const [key, condition] of Object.entries(filter)) {
    if (condition === undefined) continue;
    if (key === '$and') {
      if (!(condition as readonly MetadataFilter[]).every((child) => matchesFilter(metadata, child))) return false;
    } else if (key === '$or') {
      if (!(condition as readonly MetadataFilter[]).some((child) => matchesFilter(metadata, child))) return false;
    } else if (key === '$not') {
      if (matchesFilter(metadata, condition as MetadataFilter)) return false;
    } else {
      const actual = Object.hasOwn(metadata, key) ? metadata[key] : undefined;
      if (isScalar(condition)) {
        if (actual !== condition) return false;
      } else {
        for (const [operator, operand] of Object.entries(condition as FieldOperators)) {
          if (!compare(actual, operator, operand)) return false;
        }
      }
    }
  }
  return true;
}
