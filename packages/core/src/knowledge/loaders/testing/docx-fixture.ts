/**
 * Builds a small but genuine .docx (an OOXML zip: content types, a main document and a style part) in code, so
 * the DOCX loader is tested on a file made here rather than downloaded. It holds two headings (Word's built-in
 * "heading 1" / "heading 2" styles), paragraphs with characters that need escaping, and a table.
 */
import JSZip from 'jszip';

const w = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const escapeXml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const paragraph = (text: string, style?: string) =>
  `<w:p>${style === undefined ? '' : `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>`}<w:r><w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r></w:p>`;
const cell = (text: string) => `<w:tc>${paragraph(text)}</w:tc>`;

/** The fixture's paragraphs, for assertions. */
export const docxFixtureText = {
  title: 'Refund policy',
  intro: 'Refunds of orders < 30 days & unused are approved by "support".',
  section: 'Exceptions',
  exception: 'Gift cards are never refunded.',
  table: [
    ['item', 'days'],
    ['shoes', '30'],
  ],
} as const;

/** The bytes of the fixture .docx. */
export async function makeDocxFixture(): Promise<Uint8Array> {
  const text = docxFixtureText;
  const body = [
    paragraph(text.title, 'Heading1'),
    paragraph(text.intro),
    paragraph(text.section, 'Heading2'),
    paragraph(text.exception),
    `<w:tbl>${text.table.map((row) => `<w:tr>${row.map(cell).join('')}</w:tr>`).join('')}</w:tbl>`,
  ].join('');
  const style = (id: string, name: string) =>
    `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/></w:style>`;
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>',
  );
  zip.file(
    'word/document.xml',
    `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${w}"><w:body>${body}</w:body></w:document>`,
  );
  zip.file(
    'word/styles.xml',
    `<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="${w}">${style('Heading1', 'heading 1')}${style('Heading2', 'heading 2')}</w:styles>`,
  );
  return zip.generateAsync({ type: 'uint8array' });
}
