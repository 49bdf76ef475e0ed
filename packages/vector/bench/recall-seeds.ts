/**
 * Recall@10 curves of 100k text builds that differ only in the level seed, sequential (`upsert`) against
 * parallel (`buildHnswIndex({ workers: 2 })`), on the text set of run.ts (same passages, held-out queries and
 * exact truth): one build's curve moves with its seed by more than the ±0.005 the parallel build is held to, so
 * the two are compared as means over seeds (docs/vector.md, "Where this leaves the goals").
 * Run: `npm run build -w packages/vector && node --expose-gc packages/vector/bench/recall-seeds.ts seq:42 par:42 …`
 * (each argument `seq|par:<seed>`); prints one line of recall per build, for the efSearch values below.
 */
import { buildHnswIndex, createHnswIndex } from '../dist/index.node.js';
import { textSet } from './data-sets.ts';
import { exactNeighbours } from './ground-truth.ts';

const count = 100_000;
const queryCount = 200;
const dimensions = 384;
const k = 10;
const efValues = [10, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112];
const { base, queries } = textSet(count, queryCount, dimensions);
const truth = (await exactNeighbours(base, queries, dimensions, k)).map((ids) => new Set(ids.map(String)));
const records = Array.from({ length: count }, (_, slot) => ({
  id: String(slot),
  vector: base.subarray(slot * dimensions, (slot + 1) * dimensions),
}));
console.log(`efSearch ${efValues.join(' ')}`);
for (const argument of process.argv.slice(2)) {
  const [kind, seedText] = argument.split(':');
  const seed = Number(seedText);
  if ((kind !== 'seq' && kind !== 'par') || !Number.isInteger(seed)) throw new Error(`bad build "${argument}"`);
  const options = { dimensions, metric: 'cosine' as const, M: 16, efConstruction: 200, seed };
  const index =
    kind === 'par' ? await buildHnswIndex(records, { ...options, workers: 2 }) : await createHnswIndex(options);
  if (kind === 'seq') await index.upsert(records);
  const recalls: string[] = [];
  for (const ef of efValues) {
    index.efSearch = ef;
    let hits = 0;
    for (let query = 0; query < queryCount; query++) {
      const matches = await index.query({
        vector: queries.subarray(query * dimensions, (query + 1) * dimensions),
        topK: k,
      });
      for (const match of matches) if (truth[query]?.has(match.id)) hits++;
    }
    recalls.push((hits / (queryCount * k)).toFixed(4));
  }
  console.log(`${kind} ${seed} ${recalls.join(' ')}`);
  await index.dispose();
}
