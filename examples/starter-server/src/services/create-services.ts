import { join } from 'node:path';
import { type CacheStore, ToolRegistry } from '@agenticgen/core';
import type { ServerConfig } from '../config.ts';
import { createDemoModel } from '../demo/demo-model.ts';
import type { Logger } from '../log.ts';
import { noopMeter } from './noop-meter.ts';
import type { FeatureStatus, KnowledgeService, ModelChoice, PythonService, Services } from './types.ts';

export interface ServiceOverrides {
  /** Use this model instead of the one chosen from the environment (tests, embedding apps). */
  model?: ModelChoice;
  /** Pause between words of the offline demo model (0 in tests). */
  demoWordDelayMs?: number;
  /** Skip the Pyodide sandbox (tests that do not need it start faster). */
  sandbox?: boolean;
}

/**
 * Builds every service the server composes, each from its package; a feature whose package is missing or
 * fails to start is reported unavailable (with the reason) instead of taking the server down.
 */
export async function createServices(
  config: ServerConfig,
  log: Logger,
  environment: NodeJS.ProcessEnv,
  overrides: ServiceOverrides = {},
): Promise<Services> {
  const features: Record<string, FeatureStatus> = {};
  const disposers: Array<() => Promise<void>> = [];
  const tools = new ToolRegistry();

  // Metrics first: everything else records into its meter.
  const metricsModule = await loadFeature(features, 'metrics', () => import('./metrics-service.ts'), log);
  const metrics = metricsModule?.createMetricsService({ sampleMs: config.metricsSampleMs });
  if (metrics !== undefined) {
    features.metrics = { available: true, detail: '@agenticgen/metrics registry, Prometheus /metrics, history' };
    disposers.push(() => metrics.dispose());
  }
  const meter = metrics?.meter ?? noopMeter;

  const cacheModule = await loadFeature(features, 'cache', () => import('./cache-service.ts'), log);
  let cache: CacheStore | undefined;
  if (cacheModule !== undefined) {
    const tiered = cacheModule.createStarterCache(config.dataDir);
    cache = tiered;
    features.cache = { available: true, detail: `@agenticgen/cache: memory L1 + file L2 in ${join(config.dataDir, 'cache')}` };
    disposers.push(() => tiered.dispose());
  }

  let knowledge: KnowledgeService | undefined;
  const knowledgeModule = await loadFeature(features, 'knowledge', () => import('./knowledge-service.ts'), log);
  if (knowledgeModule !== undefined) {
    const store = await createVectorStore(config, log, features);
    try {
      knowledge = await knowledgeModule.createKnowledgeService({
        directory: join(config.dataDir, 'documents'),
        vectorStore: store.store,
        cache,
        meter,
        log,
      });
      features.knowledge = { available: true, detail: `core knowledge base, hashing embedder, ${store.detail}` };
      const service = knowledge;
      disposers.push(() => service.dispose());
    } catch (error) {
      features.knowledge = { available: false, detail: `failed to start: ${String(error)}` };
      log('error', 'knowledge: failed to start', { error: String(error) });
    }
  }

  const python: PythonService | undefined = undefined;
  if (overrides.sandbox === false) features.sandbox = { available: false, detail: 'disabled for this process' };
  else features.sandbox ??= { available: false, detail: '@agenticgen/sandbox is not available in this build yet' };
  features.sql = { available: false, detail: '@agenticgen/sandbox SQL tool is not available in this build yet' };

  const serverTools = await import('./server-tools.ts');
  if (knowledge !== undefined) tools.register(serverTools.createSearchKnowledgeTool(knowledge));
  if (python !== undefined) tools.register(serverTools.createRunPythonTool(python));

  const model: ModelChoice = overrides.model ?? {
    model: createDemoModel(overrides.demoWordDelayMs === undefined ? {} : { wordDelayMs: overrides.demoWordDelayMs }),
    label: 'offline demo model',
    offlineDemo: true,
  };
  void environment;
  features.model = { available: true, detail: model.label };
  if (model.offlineDemo) {
    log('warn', 'model: OFFLINE DEMO MODEL (no provider key set) — answers quote the knowledge base, runs fenced Python');
  }
  features.compare ??= { available: false, detail: '@agenticgen/adapters compareModels is not available in this build yet' };
  features.collaboration ??= { available: false, detail: 'core supervisor is not available in this build yet' };

  return {
    model,
    comparisonModels: [model],
    tools,
    knowledge,
    python,
    cache,
    metrics,
    meter,
    features,
    async dispose() {
      for (const dispose of disposers.reverse()) {
        await dispose().catch((error: unknown) => log('warn', 'dispose failed', { error: String(error) }));
      }
    },
  };
}

/** LanceDB in the data folder when @agenticgen/vector provides it; otherwise core's exact in-memory store. */
async function createVectorStore(config: ServerConfig, log: Logger, features: Record<string, FeatureStatus>) {
  const { createStarterEmbedder } = await import('./knowledge-service.ts');
  const dimensions = createStarterEmbedder().dimensions;
  const { createMemoryVectorStore } = await import('@agenticgen/core/knowledge');
  features['vector-store'] = {
    available: false,
    detail: 'LanceDB store of @agenticgen/vector is not available in this build yet; using core in-memory store (documents re-indexed at start)',
  };
  log('warn', 'knowledge: LanceDB unavailable, using the in-memory vector store');
  void config;
  return { store: createMemoryVectorStore({ dimensions }), detail: 'in-memory vector store' };
}

/**
 * Imports a feature's module (which imports its package). A package that is missing or broken makes the
 * feature unavailable, with the reason in `/ready` and the log, instead of stopping the server.
 */
export async function loadFeature<T>(
  features: Record<string, FeatureStatus>,
  name: string,
  load: () => Promise<T>,
  log: Logger,
): Promise<T | undefined> {
  try {
    return await load();
  } catch (error) {
    const detail = `could not load: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    features[name] = { available: false, detail };
    log('warn', `${name}: unavailable`, { detail });
    return undefined;
  }
}
