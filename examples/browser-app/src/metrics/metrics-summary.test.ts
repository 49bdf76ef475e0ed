import { createOfflineDemoModel } from '@agenticgen/adapters';
import { createCache, createCachedChatModel } from '@agenticgen/cache';
import {
  type CodeSandbox,
  type CodeSession,
  createHashingEmbedder,
  createKnowledgeBase,
  createMemoryVectorStore,
  createResearchAgent,
  createRuntime,
  type RunResult,
} from '@agenticgen/core';
import { createMetricsPlugin, createMetricsRegistry, instrumentCodeSandbox } from '@agenticgen/metrics';
import { describe, expect, it } from 'vitest';
import { summarizeMetrics } from './metrics-summary.js';

describe('metrics summary', () => {
  it('reads what the metrics plugin records for runs, model calls, tools and the answer cache', async () => {
    const registry = createMetricsRegistry();
    const answers = createCache({ namespace: 'answers' });
    const runtime = await createRuntime({ plugins: [createMetricsPlugin({ registry, caches: { answers } })] });
    const knowledgeBase = createKnowledgeBase({
      vectorStore: createMemoryVectorStore({ dimensions: 64 }),
      embedder: createHashingEmbedder({ dimensions: 64 }),
    });
    await knowledgeBase.add({ id: 'tides', content: 'Tides are caused by the Moon.' });
    const model = createCachedChatModel(createOfflineDemoModel({ wordDelayMs: 0 }), { cache: answers });
    const agent = createResearchAgent({ model, knowledgeBase, runtime });

    expect(summarizeMetrics(registry.collect())).toMatchObject({
      agentRuns: 0,
      modelCalls: 0,
      cacheHits: 0,
      cacheMisses: 0,
    });
    await agent.run('What causes tides?');
    await agent.run('What causes tides?'); // answered from the cache
    const summary = summarizeMetrics(registry.collect());
    expect(summary).toMatchObject({
      agentRuns: 2,
      modelCalls: 4,
      toolCalls: { search_knowledge: 2 },
      cacheHits: 2,
      cacheMisses: 2,
    });
    expect(summary.inputTokens).toBeGreaterThan(0);
    expect(summary.outputTokens).toBeGreaterThan(0);
    expect(summary.modelLatencyMs).toBeGreaterThanOrEqual(0);
    await runtime[Symbol.asyncDispose]();
  });

  it('counts sandbox runs and errors from the sandbox wrapper', async () => {
    const registry = createMetricsRegistry();
    // A scripted sandbox: the wrapper only sees RunResults, so no Pyodide is needed to test the figures.
    const results: RunResult[] = [
      { ok: true, stdout: '1\n', stderr: '', durationMs: 2, truncated: false },
      {
        ok: false,
        stdout: '',
        stderr: '',
        durationMs: 1,
        truncated: false,
        error: { type: 'ZeroDivisionError', message: 'division by zero', traceback: '' },
      },
    ];
    const session: CodeSession = {
      id: 'session-1',
      run: async () => results.shift() ?? { ok: true, stdout: '', stderr: '', durationMs: 0, truncated: false },
      writeFile: async () => {},
      readFile: async () => new Uint8Array(),
      listFiles: async () => [],
      reset: async () => {},
      dispose: async () => {},
      [Symbol.asyncDispose]: async () => {},
    };
    const sandbox: CodeSandbox = {
      language: 'python',
      createSession: async () => session,
      dispose: async () => {},
      [Symbol.asyncDispose]: async () => {},
    };
    const instrumented = await instrumentCodeSandbox(sandbox, registry, 'pyodide').createSession();
    await instrumented.run('print(1)');
    await instrumented.run('1 / 0');
    const summary = summarizeMetrics(registry.collect());
    expect([summary.sandboxRuns, summary.sandboxErrors]).toEqual([2, 1]);
    expect(Number.isNaN(summary.sandboxLatencyMs)).toBe(false);
  });
});
