import {
  AgenticGenError,
  type FieldOperators,
  type MetadataFilter,
  type MetadataValue,
  validateFilter,
} from '@agenticgen/core';

/** Column types a LanceDB store can filter on. */
export type MetadataFieldType = 'string' | 'number' | 'boolean';

/** Quotes a string literal for LanceDB (DataFusion) SQL: single quotes doubled, no escape sequences. */
export function sqlString(value: string): string {
  if (value.includes('\u0000')) {
    throw new AgenticGenError('invalid-filter', '[vector] filter strings must not contain NUL characters');
  }
  return `'${value.replaceAll("'", "''")}'`;
}

/** Quotes a column name. Names were checked against a strict pattern when the store was configured. */
export function sqlIdentifier(name: string): string {
  return `\`${name}\``;
}

function literal(value: Exclude<MetadataValue, null>): string {
  if (typeof value === 'string') return sqlString(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  // validateFilter guarantees a finite number; exponent form (1e+21) is valid SQL.
  return Number.isInteger(value) && Math.abs(value) < 2 ** 53 ? `${value}` : `${value.toExponential()}`;
}

function sameType(value: MetadataValue, type: MetadataFieldType): boolean {
  return typeof value === type;
}

/**
 * Translates a MetadataFilter to a SQL `where` clause with the same semantics as core's `matchesFilter`:
 * a value of the wrong type never matches (FALSE), `$ne`/`$nin` match missing values, ordering only
 * between values of one type. LanceDB has one NULL for "absent" and "null": `$exists: true` means
 * "not null" here. Every literal is quoted by `sqlString`/`literal`; field names must be declared columns.
 */
export function filterToSql(filter: MetadataFilter, fields: Readonly<Record<string, MetadataFieldType>>): string {
  validateFilter(filter);
  return translate(filter, fields);
}

function translate(filter: MetadataFilter, fields: Readonly<Record<string, MetadataFieldType>>): string {
  const parts: string[] = [];
  for (const [key, condition] of Object.entries(filter)) {
    if (condition === undefined) continue;
    if (key === '$and' || key === '$or') {
      const children = (condition as readonly MetadataFilter[]).map((child) => translate(child, fields));
      parts.push(`(${children.join(key === '$and' ? ' AND ' : ' OR ')})`);
    } else if (key === '$not') {
      // COALESCE: NOT over a NULL comparison would be NULL (no match) instead of TRUE.
      parts.push(`(NOT COALESCE(${translate(condition as MetadataFilter, fields)}, FALSE))`);
    } else {
      const type = fields[key];
      if (type === undefined) {
        throw new AgenticGenError(
          'invalid-filter',
          `[vector] field "${key}" is not filterable in this LanceDB table; declare it in metadataFields (e.g. { ${key}: 'string' })`,
          { data: { field: key } },
        );
      }
      const column = sqlIdentifier(key);
      if (condition === null || typeof condition !== 'object') {
        parts.push(compare(column, type, '$eq', condition as MetadataValue));
      } else {
        for (const [operator, operand] of Object.entries(condition as FieldOperators)) {
          parts.push(compare(column, type, operator, operand as never));
        }
      }
    }
  }
  return parts.length === 0 ? 'TRUE' : `(${parts.join(' AND ')})`;
}

function compare(column: string, type: MetadataFieldType, operator: string, operand: unknown): string {
  switch (operator) {
    case '$eq': {
      const value = operand as MetadataValue;
      if (value === null) return `${column} IS NULL`;
      return sameType(value, type) ? `COALESCE(${column} = ${literal(value)}, FALSE)` : 'FALSE';
    }
    case '$ne': {
      const value = operand as MetadataValue;
      if (value === null) return `${column} IS NOT NULL`;
      return sameType(value, type) ? `(${column} IS NULL OR ${column} <> ${literal(value)})` : 'TRUE';
    }
    case '$in':
    case '$nin': {
      const values = operand as readonly MetadataValue[];
      const typed = values.filter(
        (value): value is Exclude<MetadataValue, null> => value !== null && sameType(value, type),
      );
      const hasNull = values.includes(null);
      const inList = typed.length > 0 ? `COALESCE(${column} IN (${typed.map(literal).join(', ')}), FALSE)` : 'FALSE';
      const matches = hasNull ? `(${column} IS NULL OR ${inList})` : inList;
      return operator === '$in' ? matches : `(NOT ${matches})`;
    }
    case '$exists':
      return operand === true ? `${column} IS NOT NULL` : `${column} IS NULL`;
    default: {
      const value = operand as number | string;
      if (type === 'boolean' || !sameType(value, type)) return 'FALSE';
      const symbol = { $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' }[operator];
      if (symbol === undefined) {
        throw new AgenticGenError('invalid-filter', `[vector] unknown operator "${operator}"`);
      }
      return `COALESCE(${column} ${symbol} ${literal(value)}, FALSE)`;
    }
  }
}
