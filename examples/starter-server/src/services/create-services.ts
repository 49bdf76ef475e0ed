import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createOfflineDemoModel } from '@agenticgen/adapters';
import {
  type AgentStore,
  type AnyPlugin,
  type CacheStore,
  type CodeSandbox,
  createRuntime,
  definePlugin,
  noopMeter,
  type VectorStore,
} from '@agenticgen/core';
import type { CacheEventSource } from '@agenticgen/metrics';
import type { ServerConfig } from '../config.ts';
import { queuePythonRuns } from '../limits/fair-python.ts';
import { FairQueue } from '../limits/fair-queue.ts';
import type { Logger } from '../log.ts';
import type { FeatureStatus, KnowledgeService, ModelChoice, PythonService, Services } from './types.ts';

export interface ServiceOverrides {
  /** Use this model instead of the one chosen from the environment (tests, embedding apps). */
  model?: ModelChoice;
  /** Pause between words of the offline demo model (0 in tests). */
  demoWordDelayMs?: number;
  /** Skip the Pyodide sandbox (tests that do not need it start faster). */
  sandbox?: boolean;
  /** Use this Python service instead of the Pyodide sandbox (tests of queueing and limits). */
  python?: PythonService;
  /** Extra plugins (e.g. one made from examples/plugin-template), set up after the server's own. */
  plugins?: readonly AnyPlugin[];
  /** Config per extra plugin name, validated by the runtime against each plugin's schema. */
  pluginConfig?: Readonly<Record<string, unknown>>;
  /** Use this thread and run store instead of PGlite or PostgreSQL (tests that need no persistence). */
  store?: AgentStore;
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

  // Metrics first: everything else records into its meter.
  const metricsModule = await loadFeature(features, 'metrics', () => import('./metrics-service.ts'), log);
  const metrics = metricsModule?.createMetricsService({ sampleMs: config.metricsSampleMs });
  if (metrics !== undefined) {
    features.metrics = { available: true, detail: '@agenticgen/metrics registry, Prometheus /metrics, history' };
    disposers.push(() => metrics.dispose());
  }
  const meter = metrics?.meter ?? noopMeter;

  // Traces: core's spans go to an OpenTelemetry collector over OTLP/HTTP when an endpoint is configured.
  const tracesEndpoint = environment.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? environment.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (tracesEndpoint === undefined || tracesEndpoint === '') {
    features.tracing = { available: false, detail: 'set OTEL_EXPORTER_OTLP_ENDPOINT to export spans (OTLP/HTTP)' };
  } else {
    const tracingModule = await loadFeature(features, 'tracing', () => import('./tracing-service.ts'), log);
    if (tracingModule !== undefined) {
      const tracing = tracingModule.startTracing({
        endpoint: tracesEndpoint,
        serviceName: environment.OTEL_SERVICE_NAME ?? 'agenticgen-starter',
      });
      features.tracing = { available: true, detail: `OTLP/HTTP spans to ${tracesEndpoint}` };
      disposers.push(() => tracing.shutdown());
    }
  }

  const cacheModule = await loadFeature(features, 'cache', () => import('./cache-service.ts'), log);
  let cache: (CacheStore & CacheEventSource) | undefined;
  if (cacheModule !== undefined) {
    const { cache: tiered, detail } = cacheModule.createStarterCache({
      dataDir: config.dataDir,
      redisUrl: config.redisUrl,
    });
    cache = tiered;
    features.cache = { available: true, detail };
    disposers.push(() => tiered.dispose());
  }

  let knowledge: KnowledgeService | undefined;
  let knowledgeStore: VectorStore | undefined;
  const knowledgeModule = await loadFeature(features, 'knowledge', () => import('./knowledge-service.ts'), log);
  if (knowledgeModule !== undefined) {
    const store = await createVectorStore(config, log, features);
    knowledgeStore = store.store;
    try {
      knowledge = await knowledgeModule.createKnowledgeService({
        directory: join(config.dataDir, 'documents'),
        vectorStore: store.store,
        cache,
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

  let python: PythonService | undefined;
  let sandboxProvider: CodeSandbox | undefined;
  if (overrides.python !== undefined) {
    python = overrides.python;
    features.sandbox = { available: true, detail: 'a Python service given by the embedding code' };
  } else if (overrides.sandbox === false) {
    features.sandbox = { available: false, detail: 'disabled for this process' };
  } else {
    const sandboxModule = await loadFeature(features, 'sandbox', () => import('./sandbox-service.ts'), log);
    if (sandboxModule !== undefined) {
      const status: FeatureStatus = {
        available: true,
        detail: `@agenticgen/sandbox: Pyodide pool of ${config.sandboxPoolSize} warm worker(s)`,
      };
      features.sandbox = status;
      const started = sandboxModule.createStarterSandbox({
        poolSize: config.sandboxPoolSize,
        instrument: (sandbox) => metrics?.instrumentSandbox(sandbox) ?? sandbox,
        log,
        status,
      });
      python = started;
      sandboxProvider = started.sandbox;
      disposers.push(() => started.dispose());
    }
  }
  if (python !== undefined) {
    // Every sandbox run waits its turn per token (see limits/fair-queue.ts), HTTP and tool calls alike.
    const queue = new FairQueue({
      concurrency: config.limits.sandboxConcurrency,
      maxQueuedPerKey: config.limits.sandboxQueuePerToken,
    });
    python = queuePythonRuns(python, queue);
  }
  features.sql =
    python === undefined
      ? { available: false, detail: 'needs the sandbox' }
      : {
          available: true,
          detail: '@agenticgen/sandbox createSqlTool: SQLite in Pyodide over uploaded CSV or SQLite files',
        };

  const store = overrides.store ?? (await openStore(config, log, features));
  if (overrides.store !== undefined)
    features.store = { available: true, detail: 'a store given by the embedding code' };
  disposers.push(() => store.close());

  const serverTools = await import('./server-tools.ts');
  const tools = [
    ...(knowledge === undefined ? [] : [serverTools.createSearchKnowledgeTool(knowledge)]),
    ...(python === undefined ? [] : [serverTools.createRunPythonTool(python)]),
  ];

  const demo: ModelChoice = {
    model: createOfflineDemoModel({
      wordDelayMs: overrides.demoWordDelayMs ?? 15,
      // The server's UI numbers its citations and lists the sources under the answer.
      citations: 'numbered',
      searchTopK: 3,
      noToolsHint: 'Set OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY or OPENAI_BASE_URL for a real model.',
    }),
    label: 'offline demo model',
    offlineDemo: true,
  };
  let comparisonModels: ModelChoice[] = [overrides.model ?? demo];
  if (overrides.model === undefined) {
    const modelModule = await loadFeature(features, 'compare', () => import('./model-service.ts'), log);
    if (modelModule === undefined) {
      log('warn', 'model: @agenticgen/adapters unavailable; only the offline demo model can answer');
    } else {
      const providers = modelModule.providerModelsFromEnvironment(environment);
      comparisonModels = modelModule.manageModels([...providers, demo], { cache, log });
      features.compare = {
        available: true,
        detail: `@agenticgen/adapters compareModels over ${comparisonModels.map((choice) => choice.label).join(', ')}`,
      };
    }
  }
  const model = comparisonModels[0] ?? demo;
  features.model = {
    available: true,
    detail: model.offlineDemo ? 'offline demo model (no provider configured)' : `${model.label} via the model manager`,
  };
  if (model.offlineDemo) {
    log(
      'warn',
      'model: OFFLINE DEMO MODEL (no provider key set) — answers quote the knowledge base, runs fenced Python',
    );
  } else {
    log('info', `model: ${model.label}`);
  }
  features.agents = {
    available: true,
    detail: 'core createAgent / createAgentFromConfig: assistant, researcher, coder, and agents created from JSON',
  };
  features.collaboration = {
    available: true,
    detail: 'core createSupervisor with the researcher and coder agents as workers',
  };

  // The plugin runtime composes it all: the metrics plugin listens to its events (model calls, tools, agent
  // runs, cache reads), the starter plugin contributes the tools, models and providers by name.
  const vectorStore = knowledgeStore;
  const starterPlugin = definePlugin({
    name: 'starter',
    version: '0.1.0',
    setup: () => ({
      tools,
      models: Object.fromEntries(comparisonModels.map((choice) => [choice.label, choice.model])),
      providers: {
        ...(cache === undefined ? {} : { cache: { starter: cache } }),
        ...(vectorStore === undefined ? {} : { vector: { knowledge: vectorStore } }),
        ...(sandboxProvider === undefined ? {} : { sandbox: { python: sandboxProvider } }),
      },
    }),
  });
  const runtime = await createRuntime({
    plugins: [
      ...(metrics === undefined ? [] : [metrics.createPlugin(cache === undefined ? {} : { starter: cache })]),
      starterPlugin,
      ...(overrides.plugins ?? []),
    ],
    config: overrides.pluginConfig ?? {},
    meter,
  });
  features.runtime = {
    available: true,
    detail: `core plugin runtime: ${runtime.plugins.map((plugin) => plugin.name).join(', ')}`,
  };
  // Disposed first (the list runs in reverse): plugins stop listening before the services go away.
  disposers.push(() => runtime.dispose());

  return {
    runtime,
    store,
    tools: runtime.tools,
    model,
    comparisonModels,
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

/**
 * The thread and run store; when it cannot open (PostgreSQL down, the PGlite folder held by another process),
 * core's memory store keeps the server working, with chats lost at restart and the reason in `/ready`.
 */
async function openStore(config: ServerConfig, log: Logger, features: Record<string, FeatureStatus>) {
  try {
    const { openStarterStore } = await import('./store-service.ts');
    const { store, detail } = await openStarterStore(config);
    features.store = { available: true, detail };
    return store;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    features.store = {
      available: false,
      detail: `store unavailable (${reason}); chats and runs are kept in memory and lost at restart`,
    };
    log('error', 'store: unavailable, using the memory store', { reason });
    const { createMemoryStore } = await import('@agenticgen/core');
    return createMemoryStore();
  }
}

/**
 * LanceDB in the data folder (from @agenticgen/vector); core's exact in-memory store when it cannot open.
 * The documents are the source of truth and are re-indexed at start, so the table is rebuilt then: no chunk
 * of a document changed or deleted while the server was down can linger in search results.
 */
async function createVectorStore(config: ServerConfig, log: Logger, features: Record<string, FeatureStatus>) {
  const { createStarterEmbedder } = await import('./knowledge-service.ts');
  const dimensions = createStarterEmbedder().dimensions;
  const uri = config.lancedbUri ?? join(config.dataDir, 'lancedb');
  try {
    const { createLanceDbStore } = await import('@agenticgen/vector');
    // A local table is rebuilt from the documents; a shared remote one (object storage) is only upserted into.
    if (config.lancedbUri === undefined) await rm(uri, { recursive: true, force: true });
    const store = await createLanceDbStore({ uri, table: 'knowledge', dimensions, metric: 'cosine' });
    features['vector-store'] = { available: true, detail: `@agenticgen/vector LanceDB in ${uri}` };
    return { store, detail: `LanceDB in ${uri}` };
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    features['vector-store'] = {
      available: false,
      detail: `LanceDB unavailable (${reason}); using core's in-memory store, documents re-indexed at start`,
    };
    log('warn', 'knowledge: LanceDB unavailable, using the in-memory vector store', { reason });
    const { createMemoryVectorStore } = await import('@agenticgen/core');
    return { store: createMemoryVectorStore({ dimensions }), detail: 'in-memory vector store' };
  }
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
