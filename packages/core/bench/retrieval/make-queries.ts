/**
 * Generates bench/retrieval/queries.json from the corpus (see corpus.ts), reproducibly (seeded). Two sets:
 *
 * - `distinctive`: the 4 rarest words of a passage (by document frequency in the corpus), in passage order —
 *   a user who remembers the passage's key terms.
 * - `paraphrase`: 6 mid-frequency words of a passage, never its 3 rarest, in shuffled order, half of them
 *   re-inflected to a form the analyser does not stem back (configuration → configurable) — a user who
 *   describes the passage in other word forms and without its most telling terms.
 *
 * Every query has one known answer: a candidate is skipped when another passage holds all of its words (as the
 * retrievers' analyser sees them: lowercased, stop words dropped, light stemming), since that passage would
 * answer it as well (corpus.ts already drops near-duplicate passages). For `paraphrase` the check is on the six
 * words before re-inflection.
 *
 * Run: `node bench/retrieval/make-queries.ts` from packages/core (node 24), after `npm ci`; it also rewrites
 * corpus-files.json (the files the corpus was read from), which the benchmark reads.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../src/knowledge/text-analysis.ts';
import { createSeededRandom } from '../../src/testing/seeded-random.ts';
import { buildCorpus, type Passage } from './corpus.ts';

const perSet = 200;

const mulberry32 = createSeededRandom;

/** Words of 4+ letters (any script: "código" stays whole rather than becoming "digo"). */
const words = (text: string) => text.toLowerCase().match(/\p{L}{4,}/gu) ?? [];

export function corpusFingerprint(passages: readonly Passage[]): string {
  const hash = createHash('sha256');
  for (const passage of passages) hash.update(`${passage.id}\n${passage.text}\n`);
  return hash.digest('hex');
}

const suffixes = ['ing', 'able', 'ers', 'ion', 'ive', 'ally'];
function reinflect(word: string, random: () => number): string {
  const root = word.replace(/(ations?|ings?|ers?|ed|es|s|e|ion|ive|able|ally|ly)$/, '');
  const base = root.length >= 4 ? root : word;
  const suffix = suffixes[Math.floor(random() * suffixes.length)] as string;
  return base + suffix === word ? `${base}ment` : base + suffix;
}

function makeQueries(passages: readonly Passage[]) {
  const documentFrequency = new Map<string, number>();
  for (const passage of passages) {
    for (const word of new Set(words(passage.text))) {
      documentFrequency.set(word, (documentFrequency.get(word) ?? 0) + 1);
    }
  }
  const byRarity = (list: string[]) =>
    [...new Set(list)].sort(
      (a, b) => (documentFrequency.get(a) ?? 0) - (documentFrequency.get(b) ?? 0) || (a < b ? -1 : 1),
    );
  // Passages holding each analysed term, to check that a query's words single out its passage.
  const holders = new Map<string, Set<number>>();
  passages.forEach((passage, position) => {
    for (const term of analyze(passage.text)) {
      const set = holders.get(term);
      if (set === undefined) holders.set(term, new Set([position]));
      else set.add(position);
    }
  });
  const positionOf = new Map(passages.map((passage, position) => [passage.id, position]));
  /** Whether `passage` is the only passage holding every analysed term of `queryWords`. */
  const singlesOut = (queryWords: readonly string[], passage: Passage) => {
    // A term no passage holds (after analysis) tells nothing apart; the rest must not all meet elsewhere.
    const sets = [...new Set(analyze(queryWords.join(' ')))].flatMap((term) => holders.get(term) ?? []);
    sets.sort((a, b) => a.size - b.size);
    const own = positionOf.get(passage.id);
    for (const candidate of sets[0] ?? []) {
      if (candidate !== own && sets.every((set) => set.has(candidate))) return false;
    }
    return true;
  };
  const random = mulberry32(23);
  const pick = () => passages[Math.floor(random() * passages.length)] as Passage;
  const used = new Set<string>();
  const distinctive = [];
  while (distinctive.length < perSet) {
    const passage = pick();
    if (used.has(passage.id)) continue;
    const rarest = new Set(byRarity(words(passage.text)).slice(0, 4));
    if (rarest.size < 4 || !singlesOut([...rarest], passage)) continue;
    used.add(passage.id);
    const ordered = [...new Set(words(passage.text))].filter((word) => rarest.has(word));
    distinctive.push({ id: `distinctive-${distinctive.length}`, query: ordered.join(' '), relevant: [passage.id] });
  }
  const paraphrase = [];
  while (paraphrase.length < perSet) {
    const passage = pick();
    if (used.has(passage.id)) continue;
    const ranked = byRarity(words(passage.text));
    const middle = ranked.slice(3).filter((word) => {
      const frequency = documentFrequency.get(word) ?? 0;
      return frequency >= 3 && frequency <= 400;
    });
    if (middle.length < 6 || !singlesOut(middle.slice(0, 6), passage)) continue;
    used.add(passage.id);
    const chosen = middle.slice(0, 6).sort(() => random() - 0.5);
    const query = chosen.map((word, index) => (index % 2 === 0 ? reinflect(word, random) : word)).join(' ');
    paraphrase.push({ id: `paraphrase-${paraphrase.length}`, query, relevant: [passage.id] });
  }
  return [
    {
      name: 'distinctive',
      description: 'the 4 rarest words of a passage, in passage order',
      queries: distinctive,
    },
    {
      name: 'paraphrase',
      description: '6 mid-frequency words (not the 3 rarest), shuffled, every other one re-inflected',
      queries: paraphrase,
    },
  ];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const nodeModules = fileURLToPath(new URL('../../../../node_modules', import.meta.url));
  const passages = buildCorpus(nodeModules);
  // Pin the files that made the corpus, so later installs of other packages do not shift it.
  const files = [...new Set(passages.map((passage) => passage.id.slice(0, passage.id.lastIndexOf(':'))))];
  writeFileSync(new URL('./corpus-files.json', import.meta.url), `${JSON.stringify(files, null, 2)}\n`);
  const output = {
    source:
      'Markdown documentation of the npm packages installed under node_modules (see corpus.ts), queries generated by make-queries.ts with seed 23',
    passages: passages.length,
    corpusSha256: corpusFingerprint(passages),
    datasets: makeQueries(passages),
  };
  writeFileSync(new URL('./queries.json', import.meta.url), `${JSON.stringify(output, null, 1)}\n`);
  console.log(
    `${passages.length} passages, ${output.datasets.map((set) => `${set.name}: ${set.queries.length}`).join(', ')}`,
  );
}
