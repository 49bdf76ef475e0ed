import { AgenticGenError, type MetadataFilter } from '@agenticgen/core';
import { describe, expect, it } from 'vitest';
import { filterToSql, sqlString } from './lancedb-filter.js';

const fields = { lang: 'string', year: 'number', draft: 'boolean' } as const;

describe('filterToSql', () => {
  it('translates operators with matchesFilter semantics', () => {
    expect(filterToSql({ lang: 'en' }, fields)).toBe("(COALESCE(`lang` = 'en', FALSE))");
    expect(filterToSql({ year: { $gte: 2020, $lt: 2022 } }, fields)).toBe(
      '(COALESCE(`year` >= 2020, FALSE) AND COALESCE(`year` < 2022, FALSE))',
    );
    expect(filterToSql({ lang: { $ne: 'en' } }, fields)).toBe("((`lang` IS NULL OR `lang` <> 'en'))");
    expect(filterToSql({ lang: null }, fields)).toBe('(`lang` IS NULL)');
    expect(filterToSql({ draft: { $in: [true, null] } }, fields)).toBe(
      '((`draft` IS NULL OR COALESCE(`draft` IN (TRUE), FALSE)))',
    );
    expect(filterToSql({ $or: [{ lang: 'de' }, { $not: { year: 2001 } }] }, fields)).toBe(
      "(((COALESCE(`lang` = 'de', FALSE)) OR ((NOT COALESCE((COALESCE(`year` = 2001, FALSE)), FALSE)))))",
    );
    // A value of another type never matches, as in memory.
    expect(filterToSql({ year: 'x' }, fields)).toBe('(FALSE)');
    expect(filterToSql({ lang: { $gt: 3 } }, fields)).toBe('(FALSE)');
    expect(filterToSql({ year: 1.5e300 }, fields)).toBe('(COALESCE(`year` = 1.5e+300, FALSE))');
  });

  it('quotes every string so injection attempts stay literals', () => {
    const attempts = [
      "x' OR '1'='1",
      "'; DROP TABLE vectors; --",
      "\\' OR 1=1 --",
      'multi\nline\ttext',
      "O'Brien''s",
      '`lang` = `lang`',
      '😀 unicode ü',
    ];
    for (const attempt of attempts) {
      const sql = filterToSql({ lang: attempt }, fields);
      expect(sql).toBe(`(COALESCE(\`lang\` = ${sqlString(attempt)}, FALSE))`);
      // Between the quotes every single quote is doubled: the literal cannot be closed early.
      const inner = sql.slice(sql.indexOf("'") + 1, sql.lastIndexOf("'"));
      expect(inner.replaceAll("''", '')).not.toContain("'");
    }
    expect(() => sqlString('a\u0000b')).toThrow(AgenticGenError);
  });

  it('rejects undeclared fields and malformed filters with invalid-filter', () => {
    const bad: unknown[] = [{ author: 'x' }, { 'lang; DROP': 1 }, { year: { $regex: '.*' } }, { $or: [] }];
    for (const filter of bad) {
      let caught: unknown;
      try {
        filterToSql(filter as MetadataFilter, fields);
      } catch (error) {
        caught = error;
      }
      expect(AgenticGenError.hasCode(caught, 'invalid-filter'), JSON.stringify(filter)).toBe(true);
    }
  });
});
