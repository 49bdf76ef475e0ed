import { AgenticGenError, type DistanceMetric, type Metadata } from '@agenticgen/core';
import type * as Arrow from 'apache-arrow';
import type { CheckedRecord } from '../indexes/validation.js';
import type { MetadataFieldType } from './lancedb-filter.js';

/** Columns the store owns; metadata fields must not use these names. */
export const reservedColumns = new Set(['id', 'vector', 'text', 'metadata', '_distance', '_score', '_rowid']);
const fieldPattern = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const metricKey = 'agenticgen.metric';

/** Checks the declared metadata fields (names become SQL column names). */
export function checkMetadataFields(fields: unknown): Record<string, MetadataFieldType> {
  if (fields === undefined) return {};
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
    throw new AgenticGenError(
      'invalid-config',
      "[vector] metadataFields maps field names to 'string' | 'number' | 'boolean'",
    );
  }
  const checked: Record<string, MetadataFieldType> = {};
  for (const [name, type] of Object.entries(fields)) {
    if (!fieldPattern.test(name) || reservedColumns.has(name)) {
      throw new AgenticGenError(
        'invalid-config',
        `[vector] metadata field "${name}" cannot be a LanceDB column: use letters, digits and _ (not starting with a digit), and none of ${[...reservedColumns].join(', ')}`,
      );
    }
    if (type !== 'string' && type !== 'number' && type !== 'boolean') {
      throw new AgenticGenError(
        'invalid-config',
        `[vector] metadata field "${name}" has unknown type "${String(type)}"`,
      );
    }
    checked[name] = type;
  }
  return checked;
}

/** The Arrow schema of a store's table. */
export function tableSchema(
  arrow: typeof Arrow,
  dimensions: number,
  metric: DistanceMetric,
  fields: Readonly<Record<string, MetadataFieldType>>,
): Arrow.Schema {
  const columns = [
    new arrow.Field('id', new arrow.Utf8(), false),
    new arrow.Field(
      'vector',
      new arrow.FixedSizeList(dimensions, new arrow.Field('item', new arrow.Float32(), true)),
      false,
    ),
    new arrow.Field('text', new arrow.Utf8(), true),
    new arrow.Field('metadata', new arrow.Utf8(), false),
    ...Object.entries(fields).map(([name, type]) => {
      const dataType =
        type === 'string' ? new arrow.Utf8() : type === 'number' ? new arrow.Float64() : new arrow.Bool();
      return new arrow.Field(name, dataType, true);
    }),
  ];
  return new arrow.Schema(columns, new Map([[metricKey, metric]]));
}

/** Checks that an existing table fits the options it is opened with. */
export function checkExistingSchema(
  schema: Arrow.Schema,
  dimensions: number,
  metric: DistanceMetric,
  fields: Readonly<Record<string, MetadataFieldType>>,
  table: string,
): void {
  const vector = schema.fields.find((field) => field.name === 'vector');
  const listSize = (vector?.type as { listSize?: number } | undefined)?.listSize;
  if (listSize !== dimensions) {
    throw new AgenticGenError(
      'dimension-mismatch',
      `[vector] dimension mismatch: LanceDB table "${table}" has ${String(listSize)}, the store was opened with ${dimensions}; open it with the same dimensions or use another table`,
      { data: { expected: listSize, actual: dimensions } },
    );
  }
  const stored = schema.metadata.get(metricKey);
  if (stored !== undefined && stored !== metric) {
    throw new AgenticGenError(
      'invalid-config',
      `[vector] LanceDB table "${table}" was created for metric "${stored}", not "${metric}"; scores would not be comparable`,
    );
  }
  for (const name of Object.keys(fields)) {
    if (!schema.fields.some((field) => field.name === name)) {
      throw new AgenticGenError(
        'invalid-config',
        `[vector] LanceDB table "${table}" has no column for metadata field "${name}"; fields are fixed when the table is created`,
      );
    }
  }
}

/** Builds an Arrow table for `records` in one pass (no per-row object conversion inside LanceDB). */
export function recordsToArrow(
  arrow: typeof Arrow,
  schema: Arrow.Schema,
  records: readonly CheckedRecord[],
  dimensions: number,
  fields: Readonly<Record<string, MetadataFieldType>>,
  textField: string | undefined,
): Arrow.Table {
  const flat = new Float32Array(records.length * dimensions);
  for (const [index, record] of records.entries()) flat.set(record.vector, index * dimensions);
  const vectorField = schema.fields.find((field) => field.name === 'vector')!;
  const vectorData = arrow.makeData({
    type: vectorField.type as Arrow.FixedSizeList<Arrow.Float32>,
    length: records.length,
    nullCount: 0,
    child: arrow.makeData({ type: new arrow.Float32(), length: flat.length, nullCount: 0, data: flat }),
  });
  const textOf = (metadata: Metadata) => {
    const value = textField === undefined ? undefined : metadata[textField];
    return typeof value === 'string' ? value : null;
  };
  const columns: Record<string, Arrow.Vector> = {
    id: arrow.vectorFromArray(
      records.map((record) => record.id),
      new arrow.Utf8(),
    ),
    vector: arrow.makeVector(vectorData),
    text: arrow.vectorFromArray(
      records.map((record) => textOf(record.metadata)),
      new arrow.Utf8(),
    ),
    metadata: arrow.vectorFromArray(
      records.map((record) => JSON.stringify(record.metadata)),
      new arrow.Utf8(),
    ),
  };
  for (const [name, type] of Object.entries(fields)) {
    const values = records.map((record) => {
      const value = record.metadata[name];
      return typeof value === type ? value : null;
    });
    const dataType = type === 'string' ? new arrow.Utf8() : type === 'number' ? new arrow.Float64() : new arrow.Bool();
    columns[name] = arrow.vectorFromArray(values as never[], dataType as never);
  }
  const children = schema.fields.map((field) => {
    const column = columns[field.name]!;
    // vectorFromArray may chunk long inputs; one contiguous Data per column keeps one record batch.
    return column.data.length === 1 ? column.data[0]! : arrow.makeVector(column.toArray()).data[0]!;
  });
  // No schema metadata on the data: LanceDB re-creates batches from the fields and compares schemas.
  const batch = new arrow.RecordBatch(
    new arrow.Schema(schema.fields),
    arrow.makeData({ type: new arrow.Struct(schema.fields), length: records.length, nullCount: 0, children }),
  );
  return new arrow.Table([batch]);
}

/** Rejects metadata whose declared fields have the wrong type (they would silently become NULL). */
export function checkDeclaredTypes(
  records: readonly CheckedRecord[],
  fields: Readonly<Record<string, MetadataFieldType>>,
): void {
  for (const record of records) {
    for (const [name, type] of Object.entries(fields)) {
      const value = record.metadata[name];
      if (value !== undefined && value !== null && typeof value !== type) {
        throw new AgenticGenError(
          'invalid-metadata',
          `[vector] record "${record.id}" field "${name}" must be a ${type} (declared in metadataFields), got ${typeof value}`,
          { data: { field: name } },
        );
      }
    }
  }
}
