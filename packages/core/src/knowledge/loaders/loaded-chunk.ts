/** One chunk of a loaded document, with where it came from. */
export interface LoadedChunk {
  /** The chunk text (for Markdown, the source of its blocks: code fences, `<`, `>` and generics verbatim). */
  text: string;
  /** 0-based position among the document's chunks. */
  index: number;
  /** Where the document came from (path, URL, title). */
  source: string;
  /** Heading path of the section (`Guide > Install`); absent before the first heading and for formats without. */
  heading?: string;
  /** 1-based page number (PDF). */
  page?: number;
  /** 1-based record number (CSV, JSON). */
  record?: number;
  /** Character offset of the chunk in the (decoded) input. */
  start: number;
  /** Character offset just past it. */
  end: number;
}
