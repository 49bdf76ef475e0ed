/**
 * Writes small but genuine PDF files in code (PDF 1.4: catalog, page tree, one Helvetica font, one content
 * stream per page, a cross-reference table with exact byte offsets), so the PDF loader is tested on files made
 * here rather than downloaded. Variants: text pages with a running header and footer, pages without any text
 * (what a scanned, image-only PDF looks like to a text extractor), and an encrypted file whose password is not
 * empty (a standard security handler entry the reader cannot open without the password).
 */

export interface PdfFixtureOptions {
  /** Body lines of each page. */
  pages: ReadonlyArray<readonly string[]>;
  /** A line printed at the top of every page. */
  header?: string;
  /** A line printed at the bottom of every page; `{page}` becomes the page number. */
  footer?: string;
  /** Adds an /Encrypt dictionary whose user password is not empty. */
  encrypted?: boolean;
}

const escapePdf = (text: string) => text.replaceAll('\\', '\\\\').replaceAll('(', '\\(').replaceAll(')', '\\)');

function pageContent(lines: readonly string[], header: string | undefined, footer: string | undefined): string {
  const show = (text: string, y: number) => `BT /F1 12 Tf 72 ${y} Td (${escapePdf(text)}) Tj ET`;
  const parts: string[] = [];
  if (header !== undefined) parts.push(show(header, 770));
  lines.forEach((line, index) => {
    parts.push(show(line, 720 - index * 18));
  });
  if (footer !== undefined) parts.push(show(footer, 40));
  return parts.join('\n');
}

/** The bytes of a PDF with the given pages. */
export function makePdfFixture(options: PdfFixtureOptions): Uint8Array {
  const objects: string[] = [];
  const pageCount = options.pages.length;
  // 1 catalog, 2 pages, 3 font, then per page: page object, content stream.
  const pageIds = options.pages.map((_, index) => 4 + index * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageCount} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
  options.pages.forEach((lines, index) => {
    const id = pageIds[index] as number;
    const footer = options.footer?.replaceAll('{page}', String(index + 1));
    const stream =
      lines.length === 0 && options.header === undefined && footer === undefined
        ? ''
        : pageContent(lines, options.header, footer);
    objects[id] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${id + 1} 0 R >>`;
    objects[id + 1] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  });
  let encryptId: number | undefined;
  if (options.encrypted) {
    encryptId = objects.length;
    const filler = 'A1'.repeat(32);
    objects[encryptId] = `<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <${filler}> /U <${filler}> >>`;
  }
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = body.length;
    body += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = body.length;
  body += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) body += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  const fileId = '<0123456789ABCDEF0123456789ABCDEF>';
  body += `trailer\n<< /Size ${objects.length} /Root 1 0 R${encryptId === undefined ? '' : ` /Encrypt ${encryptId} 0 R /ID [${fileId} ${fileId}]`} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(body);
}
