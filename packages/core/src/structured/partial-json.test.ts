import { describe, expect, it } from 'vitest';
import { PartialJsonParser } from './partial-json.js';

/** True when `partial` could be what a parser shows on the way to `full`. */
function isDeepPartialOf(partial: unknown, full: unknown): boolean {
  if (partial === undefined) return true;
  if (typeof partial === 'string') return typeof full === 'string' && full.startsWith(partial);
  if (typeof partial === 'number') {
    // A number in progress shows a prefix of its digits.
    return typeof full === 'number' && String(full).startsWith(String(partial));
  }
  if (partial === null || typeof partial !== 'object') return partial === full;
  if (Array.isArray(partial)) {
    if (!Array.isArray(full) || partial.length > full.length) return false;
    return partial.every((item, index) =>
      index < partial.length - 1
        ? JSON.stringify(item) === JSON.stringify(full[index])
        : isDeepPartialOf(item, full[index]),
    );
  }
  if (full === null || typeof full !== 'object' || Array.isArray(full)) return false;
  return Object.entries(partial).every(
    ([key, value]) => key in full && isDeepPartialOf(value, (full as Record<string, unknown>)[key]),
  );
}

function parseInChunks(text: string, sizes: (index: number) => number) {
  const parser = new PartialJsonParser();
  const snapshots: unknown[] = [];
  for (let offset = 0, index = 0; offset < text.length; index++) {
    const size = Math.max(1, sizes(index));
    parser.push(text.slice(offset, offset + size));
    offset += size;
    snapshots.push(parser.snapshot());
  }
  parser.end();
  return { parser, snapshots, final: parser.snapshot() };
}

const documents: unknown[] = [
  { name: 'Ada', age: 36, languages: ['en', 'fr'], address: { city: 'London', zip: null }, active: true },
  [1, -2.5, 3e10, 0.001, -0, 12345678901234],
  { text: 'quote " backslash \\ slash / tab \t newline \n unicode é 😀 \u0001', empty: '', nested: [[[]], {}] },
  { deep: { a: { b: { c: { d: [false, true, null, 'x'] } } } } },
  {
    recipes: Array.from({ length: 30 }, (_, index) => ({
      id: index,
      title: `Dish ${index}`,
      steps: ['chop', 'cook'],
      time: index * 1.5,
    })),
  },
];

describe('PartialJsonParser', () => {
  it.each(documents.map((document, index) => [index, document] as const))(
    'document %i: the final value equals JSON.parse for every chunk size',
    (_, document) => {
      const text = JSON.stringify(document, null, 1);
      for (const size of [1, 2, 3, 7, 20, 64, text.length]) {
        const { parser, snapshots, final } = parseInChunks(text, () => size);
        expect(parser.error).toBeUndefined();
        expect(parser.done).toBe(true);
        expect(final).toEqual(JSON.parse(text));
        for (const snapshot of snapshots) expect(isDeepPartialOf(snapshot, document)).toBe(true);
      }
    },
  );

  it('parses random chunkings of escapes split anywhere, including inside \\u escapes', () => {
    const text = JSON.stringify({ s: 'a\u00e9\ud83d\ude00\n\\"b', t: ['\u2028', '\t'] });
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let trial = 0; trial < 200; trial++) {
      const { final, parser } = parseInChunks(text, () => 1 + Math.floor(random() * 5));
      expect(parser.error).toBeUndefined();
      expect(final).toEqual(JSON.parse(text));
    }
  });

  it('shows strings and numbers in progress but not keys or literals in progress', () => {
    const parser = new PartialJsonParser();
    parser.push('{"title": "Hel');
    expect(parser.snapshot()).toEqual({ title: 'Hel' });
    parser.push('lo", "cou');
    expect(parser.snapshot()).toEqual({ title: 'Hello' });
    parser.push('nt": 12');
    expect(parser.snapshot()).toEqual({ title: 'Hello', count: 12 });
    parser.push('3, "ok": tr');
    expect(parser.snapshot()).toEqual({ title: 'Hello', count: 123 });
    parser.push('ue, "list": [1, {"a": "b');
    expect(parser.snapshot()).toEqual({ title: 'Hello', count: 123, ok: true, list: [1, { a: 'b' }] });
    parser.push('"}]}');
    expect(parser.done).toBe(true);
  });

  it('shares closed containers between snapshots and freezes them, so a consumer cannot change later ones', () => {
    const parser = new PartialJsonParser();
    parser.push('{"items": [{"a": 1}, {"a": 2}');
    const first = parser.snapshot() as { items: Array<{ a: number }> };
    parser.push(', {"a": 3}');
    const second = parser.snapshot() as { items: Array<{ a: number }> };
    expect(second.items[0]).toBe(first.items[0]);
    expect(Object.isFrozen(first.items[0])).toBe(true);
    expect(() => {
      (first.items[0] as { a: number }).a = 99;
    }).toThrow();
    expect(second).not.toBe(first);
    expect(second.items).toHaveLength(3);
  });

  it('returns the same snapshot object while nothing visible changed', () => {
    const parser = new PartialJsonParser();
    parser.push('{"a": [1, 2]');
    const first = parser.snapshot();
    parser.push('   ');
    expect(parser.snapshot()).toBe(first);
  });

  it('skips a preamble and a Markdown fence before the JSON, and ignores text after it', () => {
    const { final, parser } = parseInChunks('Here you go:\n```json\n{"a": [1, 2]}\n```\nDone.', () => 4);
    expect(parser.error).toBeUndefined();
    expect(final).toEqual({ a: [1, 2] });
  });

  it('reports each complete value with its depth, so array elements can stream one by one', () => {
    const elements: unknown[] = [];
    const parser = new PartialJsonParser({
      onValue: (value, depth) => {
        if (depth === 2) elements.push(value);
      },
    });
    const text = JSON.stringify({ elements: [{ n: 1 }, { n: 2 }, { n: 3 }] });
    for (const char of text) parser.push(char);
    expect(elements).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('stops with a reason on text that is not JSON and ignores what follows', () => {
    const parser = new PartialJsonParser();
    parser.push('{"a": 1 "b": 2}');
    expect(parser.error).toMatch(/expected ","/);
    parser.push('more');
    expect(parser.snapshot()).toEqual({ a: 1 });
    const literal = new PartialJsonParser();
    literal.push('{"a": nope}');
    expect(literal.error).toMatch(/literal/);
    const badEscape = new PartialJsonParser();
    badEscape.push('{"a": "\\x"}');
    expect(badEscape.error).toMatch(/escape/);
  });

  it('parses a scalar root when the preamble is not skipped', () => {
    const parser = new PartialJsonParser({ skipPreamble: false });
    parser.push('4');
    parser.push('2');
    parser.end();
    expect(parser.snapshot()).toBe(42);
  });
});
