import type {
  AgentStore,
  AnyPlugin,
  CacheStore,
  ChatModel,
  CodeSandbox,
  LoadedChunk,
  Meter,
  RunResult,
  Runtime,
  ToolRegistry,
} from '@agenticgen/core';
import type { CacheEventSource } from '@agenticgen/metrics';

/** Whether a feature works in this process, and why not; shown by `/ready` and the UI. */
export interface FeatureStatus {
  /** True when the feature is usable. */
  available: boolean;
  /** What backs it (`@agenticgen/vector LanceDB in .data/lancedb`) or why it is missing. */
  detail: string;
  /** Still starting (Pyodide pool warming up, index loading). */
  starting?: boolean;
}

export interface KnowledgeDocument {
  id: string;
  name: string;
  mediaType: string;
  bytes: number;
  chunks: number;
  addedAt: string;
}

export interface KnowledgePassage {
  documentId: string;
  /** Document name, used in citations. */
  source: string;
  /** 0-based chunk index within the document. */
  chunk: number;
  text: string;
  score: number;
  /** 1-based page of a PDF passage. */
  page?: number;
  /** Heading path of the passage (`Guide > Install`), for Markdown, HTML and Word documents. */
  heading?: string;
}

/** Progress of one document's ingest: after each embedded batch of chunks. */
export interface IngestProgress {
  documentId: string;
  completedChunks: number;
  totalChunks: number;
}

/** A document to add: text content, or chunks a loader made from a binary file (PDF, Word). */
export interface UploadedDocument {
  name: string;
  /** The text; for a loaded document, the chunk texts joined (its size is reported as `bytes`). */
  content: string;
  mediaType: string;
  /** Chunks made by core's loaders (`loadPdf`, `loadDocx`), stored as they are, with page and heading. */
  chunks?: LoadedChunk[];
  /** Size of the uploaded file, when it differs from the content's (binary formats). */
  bytes?: number;
}

export interface KnowledgeService {
  /**
   * Adds a document. Its id comes from its name (Unicode kept); a document with that id already there is a
   * `already-exists` error (409) unless `replace` is true.
   */
  add(
    document: UploadedDocument,
    options?: { replace?: boolean; onProgress?: (progress: IngestProgress) => void },
  ): Promise<KnowledgeDocument>;
  list(): Promise<KnowledgeDocument[]>;
  remove(id: string): Promise<boolean>;
  search(query: string, topK: number, signal?: AbortSignal): Promise<KnowledgePassage[]>;
  dispose(): Promise<void>;
}

export interface PythonService {
  /** Runs code in a pooled session; `sessionId` keeps state between calls of one scratchpad. */
  run(
    code: string,
    options: { sessionId?: string; timeoutMs?: number; signal?: AbortSignal },
  ): Promise<RunResult & { sessionId: string }>;
  /** Runs SQL over an uploaded CSV or SQLite file (loaded into the sandbox). */
  sql?(
    file: { name: string; bytes: Uint8Array },
    query: string,
    options: { signal?: AbortSignal },
  ): Promise<{ columns: string[]; rows: unknown[][]; truncated: boolean }>;
  dispose(): Promise<void>;
}

/** A point of the monitoring history. */
export interface MonitoringSample {
  /** Unix time in milliseconds. */
  time: number;
  /** HTTP requests per second over the sample interval. */
  requestRate: number;
  /** Request latency percentiles in milliseconds. */
  latencyP50: number;
  latencyP95: number;
  latencyP99: number;
  /** Tokens per second (input + output). */
  tokenRate: number;
  /** Cache hits / (hits + misses) over the interval, or null with no lookups. */
  cacheHitRatio: number | null;
  /** Sandbox runs per second. */
  sandboxRunRate: number;
  /** Open WebSocket connections. */
  connections: number;
  /** In-flight runs. */
  activeRuns: number;
}

export interface MetricsService {
  readonly meter: Meter;
  /** Serves `/metrics` (Prometheus text or OpenMetrics by `Accept`). */
  handle(request: Request): Response;
  /** Recent samples, oldest first. */
  history(): MonitoringSample[];
  /** Called before every sample, to set gauges (connections, active runs). */
  onSample(callback: () => void): void;
  /** The auto-instrumentation plugin of @agenticgen/metrics (GenAI conventions), counting these caches too. */
  createPlugin(caches: Readonly<Record<string, CacheEventSource>>): AnyPlugin;
  /** Measures every run of a sandbox (`agenticgen.sandbox.run.duration`). */
  instrumentSandbox(sandbox: CodeSandbox): CodeSandbox;
  dispose(): Promise<void>;
}

/** The model the server answers with, and how to describe it to people. */
export interface ModelChoice {
  model: ChatModel;
  /** `OpenAI gpt-4.1-mini`, `offline demo model`. */
  label: string;
  /** True for the offline demo model (labelled in the UI and logs). */
  offlineDemo: boolean;
}

export interface Services {
  model: ModelChoice;
  /** Chat threads, run checkpoints, suspended approvals and the tool-call ledger (PGlite or PostgreSQL). */
  store: AgentStore;
  /** Models available for comparison (the main one first). */
  comparisonModels: ModelChoice[];
  tools: ToolRegistry;
  knowledge: KnowledgeService | undefined;
  python: PythonService | undefined;
  cache: CacheStore | undefined;
  /** Undefined when @agenticgen/metrics is not available (then `meter` is a no-op). */
  metrics: MetricsService | undefined;
  /** Where the server records its own figures. */
  meter: Meter;
  /** The plugin runtime composing it all: tools, models and providers by name, events for the metrics plugin. */
  runtime: Runtime;
  features: Record<string, FeatureStatus>;
  dispose(): Promise<void>;
}
