import { describe, expect, it } from 'vitest';
import { executeTool } from '../tools/execute-tool.js';
import { createHashingEmbedder } from './hashing-embedder.js';
import { createKnowledgeBase } from './knowledge-base.js';
import { createKnowledgeSearchTool } from './knowledge-search-tool.js';
import { createMemoryVectorStore } from './memory-vector-store.js';

async function setup() {
  const embedder = createHashingEmbedder({ dimensions: 128 });
  const knowledge = createKnowledgeBase({ embedder, vectorStore: createMemoryVectorStore({ dimensions: 128 }) });
  await knowledge.add([
    { id: 'tides', content: 'Ocean tides follow the Moon.', metadata: { tenant: 'a' } },
    { id: 'moon', content: 'The Moon orbits the Earth in about 27 days. '.repeat(20), metadata: { tenant: 'b' } },
  ]);
  return knowledge;
}

describe('createKnowledgeSearchTool', () => {
  it('returns citable passages, honours the fixed filter and cuts long passages', async () => {
    const tool = createKnowledgeSearchTool(await setup(), { filter: { tenant: 'b' }, maxPassageCharacters: 50 });
    expect(tool.name).toBe('search_knowledge');
    const outcome = await executeTool(tool, { query: 'moon', topK: 3 }, { toolCallId: 'c1' });
    expect(outcome.ok).toBe(true);
    const { results } = (outcome as { output: { results: Array<{ ref: string; text: string }> } }).output;
    expect(results.map((result) => result.ref)).toEqual(['moon#0']);
    expect(results[0]?.text).toHaveLength(51);
  });

  it('returns an empty list for unknown words and rejects a topK above maxTopK', async () => {
    const knowledge = await setup();
    const tool = createKnowledgeSearchTool(knowledge, { maxTopK: 3 });
    const empty = await executeTool(tool, { query: 'qwxz florbunk' }, { toolCallId: 'c2' });
    expect(empty).toMatchObject({ ok: true, output: { results: [] } });
    const tooMany = await executeTool(tool, { query: 'moon', topK: 4 }, { toolCallId: 'c3' });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'tool-invalid-arguments' } });
    expect(() => createKnowledgeSearchTool(knowledge, { topK: 5, maxTopK: 3 })).toThrow(/topK/);
  });
});
