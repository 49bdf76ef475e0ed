import { AgenticGenError } from '@agenticgen/core';
import type { UploadedDocument } from './types.ts';

export const pdfMediaType = 'application/pdf';
export const docxMediaType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Binary formats read by core's loaders; uploaded raw (`?name=`), never as JSON text. */
export const binaryDocumentMediaTypes = [pdfMediaType, docxMediaType] as const;

/** Tokens per chunk, as for text documents (the knowledge service's chunking). */
const chunkSize = 120;

/**
 * A PDF (`loadPdf`: text by page, running headers and footers dropped) or a Word file (`loadDocx`: headings,
 * lists and tables) as chunks that keep their page or heading path, so a cited passage points to its place.
 * A PDF the server cannot read for text (encrypted, scanned) is a 415 naming why.
 */
export async function loadBinaryDocument(
  name: string,
  mediaType: string,
  bytes: Uint8Array,
): Promise<UploadedDocument> {
  const { loadDocx, loadPdf } = await import('@agenticgen/core');
  let chunks: UploadedDocument['chunks'];
  try {
    chunks =
      mediaType === pdfMediaType
        ? await loadPdf(bytes, { source: name, chunkSize })
        : await loadDocx(bytes, { source: name, chunkSize });
  } catch (error) {
    if (AgenticGenError.hasCode(error, 'unsupported'))
      throw new AgenticGenError('unsupported-media-type', `[server] "${name.slice(0, 200)}": ${error.message}`, {
        cause: error,
      });
    throw error;
  }
  return {
    name,
    mediaType,
    content: chunks.map((chunk) => chunk.text).join('\n\n'),
    chunks,
    bytes: bytes.byteLength,
  };
}
