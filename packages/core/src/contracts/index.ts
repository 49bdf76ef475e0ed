export type { AsyncResource } from './async-resource.js';
export type { CacheGetOrSetOptions, CacheLoaderContext, CacheSetOptions, CacheStore } from './cache-store.js';
export type {
  ChatMessage,
  ChatModel,
  ChatRequest,
  ChatResponse,
  ChatStreamPart,
  FinishReason,
  ImagePart,
  JsonSchema,
  ModelCapabilities,
  ReasoningPart,
  ResponseFormat,
  TextPart,
  ToolCallPart,
  ToolChoice,
  ToolResultPart,
  ToolSpec,
  Usage,
} from './chat-model.js';
export type {
  CodeSandbox,
  CodeSession,
  MimeBundle,
  RunError,
  RunOptions,
  RunResult,
  SandboxFile,
} from './code-sandbox.js';
export type { Embedder, EmbeddingModel, EmbedOptions } from './embedder.js';
export type {
  BoundCounter,
  BoundGauge,
  BoundHistogram,
  BoundUpDownCounter,
  Counter,
  Gauge,
  Histogram,
  HistogramOptions,
  InstrumentOptions,
  Labels,
  Meter,
  UpDownCounter,
} from './meter.js';
export type { RankCandidate, Ranker, RankOptions } from './ranker.js';
export type {
  LedgerEntry,
  NewRunCheckpoint,
  RunCheckpoint,
  RunStore,
  RunSuspension,
  StoredRunStatus,
} from './run-store.js';
export type { StoreCallOptions } from './store-call-options.js';
export type {
  MessageQuery,
  NewMessage,
  NewThread,
  Page,
  StoredMessage,
  StoredThread,
  StoreMetadata,
  ThreadQuery,
  ThreadStore,
  ThreadSummary,
} from './thread-store.js';
export type {
  DistanceMetric,
  FieldOperators,
  Metadata,
  MetadataFilter,
  MetadataValue,
  VectorMatch,
  VectorQuery,
  VectorRecord,
  VectorStore,
  VectorWriteOptions,
} from './vector-store.js';
export type { WorkingMemoryRecord, WorkingMemoryScope, WorkingMemoryStore } from './working-memory-store.js';
