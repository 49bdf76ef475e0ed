/**
 * The event-loop stall of ingesting one large document (issue 23: no stall over 50 ms while ingesting 10 MB):
 * a `setImmediate` chain runs beside `add()` and the longest gap between two of its turns is the longest
 * stretch the ingest kept the loop busy. Side by side: the default pacing (yield after ~10 ms of work), and one
 * pass (no yields). Each gap is also measured in main-thread CPU time: on a loaded machine the wall-clock gap
 * includes time the OS gave to other processes, which no pacing can prevent; the CPU-time gap is the work the
 * ingest did between two yields.
 */
import { createHashingEmbedder, createKnowledgeBase, createMemoryVectorStore } from '../../dist/index.js';

/** A plain-text document of `bytes` characters made of the corpus passages, repeated as needed. */
export function largeDocument(passages: ReadonlyArray<{ text: string }>, bytes: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let index = 0; length < bytes; index++) {
    const text = (passages[index % passages.length] as { text: string }).text;
    parts.push(text);
    length += text.length + 2;
  }
  return parts.join('\n\n').slice(0, bytes);
}

/** Longest event-loop turn (ms) and total time (s) of ingesting `content`, with or without pacing. */
export async function ingestStall(
  content: string,
  paced: boolean,
): Promise<{ maxStallMs: number; maxStallCpuMs: number; seconds: number; turns: number }> {
  const embedder = createHashingEmbedder();
  const knowledgeBase = createKnowledgeBase({
    embedder,
    vectorStore: createMemoryVectorStore({ dimensions: embedder.dimensions }),
    ...(paced ? {} : { yieldEveryCharacters: Number.MAX_SAFE_INTEGER, yieldEveryMs: Number.POSITIVE_INFINITY }),
  });
  const cpuMs = () => {
    const usage = process.threadCpuUsage();
    return (usage.user + usage.system) / 1000;
  };
  let maxStallMs = 0;
  let maxStallCpuMs = 0;
  let turns = 0;
  let last = performance.now();
  let lastCpu = cpuMs();
  let running = true;
  const tick = () => {
    const now = performance.now();
    const cpu = cpuMs();
    maxStallMs = Math.max(maxStallMs, now - last);
    maxStallCpuMs = Math.max(maxStallCpuMs, cpu - lastCpu);
    last = now;
    lastCpu = cpu;
    turns++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const started = performance.now();
  await knowledgeBase.add({ id: 'large', content });
  const seconds = (performance.now() - started) / 1000;
  running = false;
  // The last stretch (after the final yield) ends when add() resolves.
  maxStallMs = Math.max(maxStallMs, performance.now() - last);
  maxStallCpuMs = Math.max(maxStallCpuMs, cpuMs() - lastCpu);
  return { maxStallMs, maxStallCpuMs, seconds, turns };
}
