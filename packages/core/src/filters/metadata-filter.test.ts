import { describe, expect, it } from 'vitest';
import { AgenticGenError } from '../errors/agenticgen-error.js';
import { matchesFilter, validateFilter } from './metadata-filter.js';

const doc = { lang: 'en', year: 2021, draft: false, author: null };

describe('metadata filters', () => {
  it('matches equality, ranges, sets, existence and logic', () => {
    expect(matchesFilter(doc, { lang: 'en' })).toBe(true);
    expect(matchesFilter(doc, { lang: 'de' })).toBe(false);
    expect(matchesFilter(doc, { year: { $gte: 2020, $lt: 2022 } })).toBe(true);
    expect(matchesFilter(doc, { year: { $gt: 2021 } })).toBe(false);
    expect(matchesFilter(doc, { lang: { $in: ['de', 'en'] } })).toBe(true);
    expect(matchesFilter(doc, { lang: { $nin: ['en'] } })).toBe(false);
    expect(matchesFilter(doc, { missing: { $exists: false }, author: { $exists: true } })).toBe(true);
    expect(matchesFilter(doc, { $or: [{ lang: 'de' }, { draft: false }] })).toBe(true);
    expect(matchesFilter(doc, { $and: [{ lang: 'en' }, { $not: { year: 2021 } }] })).toBe(false);
  });

  it('never orders a string against a number', () => {
    expect(matchesFilter(doc, { lang: { $gt: 1 } })).toBe(false);
    expect(matchesFilter(doc, { year: { $lt: 'z' } })).toBe(false);
  });

  it('rejects malformed filters with invalid-filter and the path', () => {
    const attempts: unknown[] = [
      { year: { $gt3: 1 } },
      { $xor: [] },
      { $or: [] },
      { year: { $in: 'en' } },
      { year: Number.NaN },
      { 'bad name': 1 },
      [],
    ];
    for (const filter of attempts) {
      let thrown: unknown;
      try {
        validateFilter(filter);
      } catch (error) {
        thrown = error;
      }
      expect(AgenticGenError.hasCode(thrown, 'invalid-filter'), JSON.stringify(filter)).toBe(true);
    }
    expect(() => validateFilter({ year: { $gte: 2020 }, $or: [{ a: 1 }, { b: { $exists: true } }] })).not.toThrow();
  });
});
