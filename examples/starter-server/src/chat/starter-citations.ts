import type { AgentResult, Citation } from '@agenticgen/core';

/** A passage as the starter's `search_knowledge` tool returns it. */
interface SearchPassage {
  documentId: string;
  source: string;
  chunk: number;
  text: string;
}

/** The passages of `search_knowledge` outputs, in the order the searches returned them. */
export function searchPassages(outputs: readonly unknown[]): SearchPassage[] {
  return outputs.flatMap((output) => (output as { results?: SearchPassage[] } | null)?.results ?? []);
}

/**
 * The starter's assistant cites `search_knowledge` passages as `[n]`, numbered in the order the searches
 * returned them; each cited passage becomes a source part. One function for a live run and a stored thread.
 */
export function citationsIn(text: string, passages: readonly SearchPassage[]): Citation[] {
  const cited = new Map<number, Citation>();
  for (const match of text.matchAll(/\[(\d{1,3})\]/g)) {
    const index = Number(match[1]);
    const passage = passages[index - 1];
    if (passage === undefined || cited.has(index)) continue;
    cited.set(index, {
      ref: String(index),
      source: passage.source,
      documentId: passage.documentId,
      chunkIndex: passage.chunk,
      text: passage.text,
    });
  }
  return [...cited.values()];
}

/** The citations of a finished run (the `sources` option of `toUIMessageStream`). */
export function starterCitations(result: AgentResult): Citation[] {
  const outputs = result.steps.flatMap((step) =>
    step.toolCalls.filter((call) => call.toolName === 'search_knowledge' && !call.isError).map((call) => call.output),
  );
  return citationsIn(result.text, searchPassages(outputs));
}
