import type { MetricFamilySnapshot } from '../snapshot/snapshot.js';

/**
 * UCUM units → Prometheus unit words. Prometheus wants base units (promtool flags `milliseconds`, `kibibytes`,
 * `minutes` and abbreviations), so a scaled unit is exported as its base unit with its values converted: an
 * instrument in `ms` or `µs` exports `_seconds`, one in `KiBy` exports `_bytes`. Other exporters (JSON snapshots,
 * OpenTelemetry) keep the instrument's own unit.
 */

interface UnitWord {
  /** Plural word of the base unit (`seconds`). */
  word: string;
  /** Singular of the base unit, for denominators (`per_second`, also for `/min` whose values are converted). */
  singular: string;
  /** Base units per one of this unit (`ms` → 0.001), as a fraction so decimal scales stay exact. */
  multiply: number;
  divide: number;
}

const word = (plural: string, singular: string, multiply = 1, divide = 1): UnitWord => ({
  word: plural,
  singular,
  multiply,
  divide,
});

/** Units without a prefix, and units that are not prefix + base (`min`, `h`, `bit`, `%`). */
const atoms: Record<string, UnitWord> = {
  s: word('seconds', 'second'),
  min: word('seconds', 'second', 60),
  h: word('seconds', 'second', 3600),
  d: word('seconds', 'second', 86_400),
  By: word('bytes', 'byte'),
  bit: word('bytes', 'byte', 1, 8),
  m: word('meters', 'meter'),
  g: word('grams', 'gram'),
  V: word('volts', 'volt'),
  A: word('amperes', 'ampere'),
  J: word('joules', 'joule'),
  W: word('watts', 'watt'),
  Hz: word('hertz', 'hertz'),
  K: word('kelvin', 'kelvin'),
  Cel: word('celsius', 'celsius'),
  Ohm: word('ohms', 'ohm'),
  '%': word('percent', 'percent'),
};

/** Prefixes (after the micro sign and Greek mu became `u`), as base units per unit: [multiply, divide]. */
const prefixes: Record<string, [number, number]> = {
  n: [1, 1e9],
  u: [1, 1e6],
  m: [1, 1e3],
  k: [1e3, 1],
  K: [1e3, 1],
  M: [1e6, 1],
  G: [1e9, 1],
  T: [1e12, 1],
  Ki: [1024, 1],
  Mi: [1024 ** 2, 1],
  Gi: [1024 ** 3, 1],
  Ti: [1024 ** 4, 1],
};
const prefixable = new Set(['s', 'By', 'm', 'g', 'V', 'A', 'J', 'W', 'Hz']);

/** Symbols that decompose to nothing readable: spelled out before the ASCII fallback. */
const symbols: [RegExp, string][] = [
  [/[µμ]/g, 'u'],
  [/°C/g, 'Cel'],
  [/[ΩΩ]/g, 'Ohm'],
  [/€/g, 'euros'],
  [/£/g, 'pounds'],
  [/\$/g, 'dollars'],
];

function lookup(atom: string): UnitWord | undefined {
  const direct = atoms[atom];
  if (direct !== undefined) return direct;
  for (const length of [2, 1]) {
    const prefix = prefixes[atom.slice(0, length)];
    const base = atom.slice(length);
    if (prefix !== undefined && prefixable.has(base)) {
      const unit = atoms[base]!;
      return word(unit.word, unit.singular, prefix[0], prefix[1]);
    }
  }
  return undefined;
}

/** ASCII letters, digits and single underscores only (non-ASCII letters lose their accents or are dropped). */
function asciiWord(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-zA-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

function parse(unit: string): { suffix: string; multiply: number; divide: number } {
  let plain = unit.replace(/\{[^}]*\}/g, '').trim();
  for (const [pattern, replacement] of symbols) plain = plain.replace(pattern, replacement);
  const [numerator = '', denominator] = plain.split('/');
  const top = lookup(numerator);
  let suffix = top?.word ?? asciiWord(numerator);
  let multiply = top?.multiply ?? 1;
  let divide = top?.divide ?? 1;
  if (denominator !== undefined) {
    const bottom = lookup(denominator);
    const per = bottom?.singular ?? asciiWord(denominator);
    if (per !== '') suffix = suffix === '' ? `per_${per}` : `${suffix}_per_${per}`;
    // A rate per minute is a rate per second divided by 60.
    multiply *= bottom?.divide ?? 1;
    divide *= bottom?.multiply ?? 1;
  }
  return { suffix, multiply, divide };
}

/** The Prometheus unit suffix for a UCUM unit (`s` → `seconds`, `ms` → `seconds`, `By/s` → `bytes_per_second`, `{token}` → ''). */
export function prometheusUnit(unit: string, kind: MetricFamilySnapshot['kind']): string {
  const plain = unit.replace(/\{[^}]*\}/g, '').trim();
  if (plain === '') return '';
  if (plain === '1') return kind === 'gauge' ? 'ratio' : '';
  return parse(unit).suffix;
}

/** Converts values of `unit` to the base unit its exported name states, or `undefined` when they need no change. */
export function toBaseUnit(unit: string): ((value: number) => number) | undefined {
  if (unit === '' || unit === '1') return undefined;
  const { multiply, divide } = parse(unit);
  if (multiply === 1 && divide === 1) return undefined;
  return (value) => (value * multiply) / divide;
}
