import { defineTool, Type } from '@agenticgen/core';
import type { KnowledgeService, PythonService } from './types.ts';

/** `search_knowledge`: the best passages for a query, with their sources for citations. */
export function createSearchKnowledgeTool(knowledge: KnowledgeService) {
  return defineTool({
    name: 'search_knowledge',
    description:
      'Searches the uploaded documents and returns the best passages with their source names. Cite them as [n] in the order returned.',
    parameters: Type.Object({
      query: Type.String({ minLength: 1, maxLength: 2000, description: 'What to look for' }),
      topK: Type.Integer({ minimum: 1, maximum: 10, default: 3, description: 'How many passages' }),
    }),
    timeoutMs: 20_000,
    async execute({ query, topK }, { signal }) {
      return { results: await knowledge.search(query, topK, signal) };
    },
  });
}

/** `run_python`: runs code in a fresh Pyodide session and returns stdout, the last value and any error. */
export function createRunPythonTool(python: PythonService) {
  return defineTool({
    name: 'run_python',
    description:
      'Runs Python 3 code in an isolated sandbox (no network, no files of the host) and returns stdout, stderr, the value of the last expression and any exception.',
    parameters: Type.Object({
      code: Type.String({ minLength: 1, maxLength: 100_000, description: 'The Python source to run' }),
    }),
    timeoutMs: 60_000,
    async execute({ code }, { signal }) {
      const { sessionId: _sessionId, ...result } = await python.run(code, { signal, timeoutMs: 30_000 });
      return result;
    },
  });
}
