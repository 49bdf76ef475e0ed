export * from './bm25-index.js';
export * from './chunking.js';
export * from './clean-text.js';
export * from './evaluate-retrieval.js';
export * from './hashing-embedder.js';
export * from './knowledge-base.js';
export {
  createKnowledgeSearchTool,
  type KnowledgeSearcher,
  type KnowledgeSearchPassage,
  type KnowledgeSearchToolOptions,
} from './knowledge-search-tool.js';
export * from './lexical-ranker.js';
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
export * from './memory-vector-store.js';
export * from './ranking.js';
export { analyze as analyzeText } from './text-analysis.js';
