export { Bm25Index, type Bm25Options } from './bm25-index.js';
export { type ChunkingOptions, type ChunkingStrategy, chunkText, countTokens, type TextChunk } from './chunking.js';
export { type DocumentFormat, htmlToText, markdownToText, normalizeWhitespace, toCleanText } from './clean-text.js';
export {
  type EvaluateRetrievalOptions,
  evaluateRetrieval,
  formatRetrievalTable,
  maxEvaluationQueries,
  type RetrievalDataset,
  type RetrievalMiss,
  type RetrievalQuery,
  type RetrievalReport,
  type SearchableKnowledge,
} from './evaluate-retrieval.js';
export { createHashingEmbedder, type HashingEmbedderOptions } from './hashing-embedder.js';
export {
  createKnowledgeBase,
  type DocumentInfo,
  defaultFusionWeights,
  type FusionOptions,
  type IngestReport,
  type KnowledgeBase,
  type KnowledgeBaseOptions,
  type KnowledgeDocument,
  type KnowledgeEvents,
  loadedChunkMetadataKeys,
  reservedMetadataKeys,
  type SearchOptions,
  type SearchResult,
} from './knowledge-base.js';
export {
  createKnowledgeSearchTool,
  type KnowledgeSearcher,
  type KnowledgeSearchPassage,
  type KnowledgeSearchToolOptions,
} from './knowledge-search-tool.js';
export { createLexicalRanker, type LexicalRankerOptions } from './lexical-ranker.js';
export { type DocxLoaderOptions, loadDocx, type MammothModule } from './loaders/docx-loader.js';
export { type HtmlLoaderOptions, loadHtml, type Parse5Module } from './loaders/html-loader.js';
export type { LoadedChunk } from './loaders/loaded-chunk.js';
export { loadMarkdown, type MarkdownLoaderOptions, type MarkedModule } from './loaders/markdown-loader.js';
export { loadPdf, type PdfLoaderOptions, type UnpdfModule } from './loaders/pdf-loader.js';
export {
  type CsvLoaderOptions,
  decodeText,
  loadCsv,
  loadJson,
  type RecordLoaderOptions,
} from './loaders/record-loaders.js';
export { createMemoryVectorStore, type MemoryVectorStoreOptions } from './memory-vector-store.js';
export {
  cosineSimilarity,
  createMmrRanker,
  maximalMarginalRelevance,
  reciprocalRankFusion,
  weightedScoreFusion,
} from './ranking.js';
export { analyze as analyzeText } from './text-analysis.js';
