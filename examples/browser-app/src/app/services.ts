import { createCache, createCachedChatModel, createIndexedDbDriver, type TieredCache } from '@agenticgen/cache';
import { type Agent, type ChatModel, createResearchAgent, createRuntime, type Runtime } from '@agenticgen/core';
import {
  createMetricsPlugin,
  createMetricsRegistry,
  instrumentCodeSandbox,
  type MetricsRegistry,
} from '@agenticgen/metrics';
import { createPythonTool, type PythonTool } from '@agenticgen/sandbox';
import { openPersistentKnowledge, type PersistentKnowledge } from '../knowledge/persistent-knowledge.js';
import { createBrowserSandbox } from '../sandbox/browser-sandbox.js';

/** Names of everything this app keeps in IndexedDB (one place, so "forget everything" misses nothing). */
export const storageNames = {
  cacheDatabase: 'agenticgen-browser-app-cache',
  vectorDatabase: 'agenticgen-browser-app-vectors',
  indexKey: 'knowledge',
} as const;

export interface AppServices {
  readonly registry: MetricsRegistry;
  /** Answers of the model, by request (the LLM response cache). */
  readonly answers: TieredCache;
  /** The knowledge base's document registry. */
  readonly registryCache: TieredCache;
  knowledge: PersistentKnowledge;
  readonly python: PythonTool;
  readonly runtime: Runtime;
  /** Starts Pyodide now instead of at the first run. */
  warmUpPython(): Promise<void>;
  /** An agent on `model` (wrapped by the answer cache); `onLookup` hears each cache hit or miss. */
  createAgent(model: ChatModel, onLookup: (hit: boolean) => void): Agent;
}

const instructions = [
  'You are an assistant running entirely in the browser.',
  "For questions about the user's documents call search_knowledge, answer only from the passages, and cite each claim by its ref in square brackets, e.g. [guide#2].",
  'To compute something, or when the user sends Python, call run_python and report its output.',
].join(' ');

export async function createAppServices(): Promise<AppServices> {
  const registry = createMetricsRegistry({ invalidValues: 'drop', defaultLabels: { app: 'browser-app' } });
  const driver = createIndexedDbDriver({ databaseName: storageNames.cacheDatabase });
  // A week of answers; the same question (same model, same passages) is answered from IndexedDB after a reload.
  const answers = createCache({ namespace: 'answers', ttlMs: 7 * 24 * 3_600_000, l1: { max: 500 }, l2: driver });
  // The knowledge registry must never expire while its index exists.
  const registryCache = createCache({ namespace: 'knowledge', ttlMs: Number.POSITIVE_INFINITY, l2: driver });
  const knowledge = await openPersistentKnowledge({
    database: storageNames.vectorDatabase,
    key: storageNames.indexKey,
    registry: registryCache,
  });
  const pythonSandbox = createBrowserSandbox();
  const sandbox = instrumentCodeSandbox(pythonSandbox, registry, 'pyodide');
  const python = createPythonTool({ sandbox, timeoutMs: 20_000 });
  const runtime = await createRuntime({ plugins: [createMetricsPlugin({ registry, caches: { answers } })] });

  const services: AppServices = {
    registry,
    answers,
    registryCache,
    knowledge,
    python,
    runtime,
    warmUpPython: () => pythonSandbox.warmUp(),
    createAgent(model, onLookup) {
      const cached = createCachedChatModel(model, { cache: answers, onLookup: (lookup) => onLookup(lookup.hit) });
      return createResearchAgent({
        name: 'browser-assistant',
        instructions,
        model: cached,
        // Read through `services` so a knowledge reset is picked up by the next agent.
        knowledgeBase: services.knowledge.knowledge,
        topK: 3,
        tools: [python],
        runtime,
        maxSteps: 6,
      });
    },
  };
  return services;
}
