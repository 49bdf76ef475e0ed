import type { FieldOperators, Metadata, MetadataFilter, MetadataValue } from '@agenticgen/core';

/** Default cap on distinct values per indexed field (see `MetadataIndex`). */
export const defaultFilterIndexMaxValues = 10_000;

/** Slots a filter can only match, and whether every slot in them matches (no condition left to evaluate). */
export interface FilterCandidates {
  slots: ReadonlySet<number>;
  exact: boolean;
}

const empty: ReadonlySet<number> = new Set();

function intersect(a: ReadonlySet<number>, b: ReadonlySet<number>): ReadonlySet<number> {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  const result = new Set<number>();
  for (const slot of small) if (large.has(slot)) result.add(slot);
  return result;
}

function union(sets: readonly ReadonlySet<number>[]): ReadonlySet<number> {
  if (sets.length === 1) return sets[0]!;
  const result = new Set<number>();
  for (const set of sets) for (const slot of set) result.add(slot);
  return result;
}

function isScalar(value: unknown): value is MetadataValue {
  return value === null || typeof value !== 'object';
}

/**
 * An inverted index over the live records' metadata: field → value → slots. Equality and `$in` conditions
 * (also inside `$and`/`$or`) become slot sets, so a selective filter costs its matches, not a scan of every
 * record. Values are keyed by identity (`Map` keys), which is `matchesFilter`'s `===`. A field that reaches
 * `maxValuesPerField` distinct values (free text, unique ids) is dropped for good: its postings would cost
 * more memory than its filters save; conditions on it are then evaluated per record.
 */
export class MetadataIndex {
  readonly maxValuesPerField: number;
  /** `null`: the field passed the cap and is no longer indexed. */
  readonly #fields = new Map<string, Map<MetadataValue, Set<number>> | null>();

  constructor(maxValuesPerField = defaultFilterIndexMaxValues) {
    this.maxValuesPerField = maxValuesPerField;
  }

  add(slot: number, metadata: Metadata): void {
    for (const key in metadata) {
      const value = metadata[key]!;
      let values = this.#fields.get(key);
      if (values === null) continue;
      if (values === undefined) {
        values = new Map();
        this.#fields.set(key, values);
      }
      let slots = values.get(value);
      if (slots === undefined) {
        if (values.size >= this.maxValuesPerField) {
          this.#fields.set(key, null);
          continue;
        }
        slots = new Set();
        values.set(value, slots);
      }
      slots.add(slot);
    }
  }

  remove(slot: number, metadata: Metadata): void {
    for (const key in metadata) {
      const values = this.#fields.get(key);
      if (values === null || values === undefined) continue;
      const value = metadata[key]!;
      const slots = values.get(value);
      if (slots === undefined) continue;
      slots.delete(slot);
      if (slots.size === 0) values.delete(value);
    }
  }

  /** A record moved from one slot to another (compaction, swap-remove). */
  move(from: number, to: number, metadata: Metadata): void {
    this.remove(from, metadata);
    this.add(to, metadata);
  }

  clear(): void {
    this.#fields.clear();
  }

  /**
   * The live slots `filter` can match, or `undefined` when no condition narrows it (only ranges, `$ne`,
   * `$exists`, `$not` or capped fields). The sets may be the index's own: never mutate them.
   */
  candidates(filter: MetadataFilter): FilterCandidates | undefined {
    let slots: ReadonlySet<number> | undefined;
    let exact = true;
    const narrow = (found: FilterCandidates | undefined) => {
      if (found === undefined) {
        exact = false;
        return;
      }
      slots = slots === undefined ? found.slots : intersect(slots, found.slots);
      exact &&= found.exact;
    };
    for (const key in filter) {
      const condition = filter[key];
      if (condition === undefined) continue;
      if (key === '$and') for (const child of condition as readonly MetadataFilter[]) narrow(this.candidates(child));
      else if (key === '$or') {
        const children = (condition as readonly MetadataFilter[]).map((child) => this.candidates(child));
        if (children.some((child) => child === undefined)) narrow(undefined);
        else {
          const found = children as FilterCandidates[];
          narrow({ slots: union(found.map((child) => child.slots)), exact: found.every((child) => child.exact) });
        }
      } else if (key === '$not') narrow(undefined);
      else narrow(this.#field(key, condition as MetadataValue | FieldOperators));
    }
    return slots === undefined ? undefined : { slots, exact };
  }

  #field(key: string, condition: MetadataValue | FieldOperators): FilterCandidates | undefined {
    const values = this.#fields.get(key);
    if (values === null) return undefined;
    // A field no live record has matches no equality: the postings are empty.
    const postings = (value: MetadataValue) => values?.get(value) ?? empty;
    if (isScalar(condition)) return { slots: postings(condition), exact: true };
    let slots: ReadonlySet<number> | undefined;
    let exact = true;
    for (const [operator, operand] of Object.entries(condition)) {
      let found: ReadonlySet<number> | undefined;
      if (operator === '$eq') found = postings(operand as MetadataValue);
      else if (operator === '$in') found = union((operand as readonly MetadataValue[]).map(postings));
      if (found === undefined) exact = false;
      else slots = slots === undefined ? found : intersect(slots, found);
    }
    return slots === undefined ? undefined : { slots, exact };
  }
}
