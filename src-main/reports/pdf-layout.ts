import type PDFDocument from 'pdfkit';

/**
 * Small layout helpers on pdfkit for the install report: headings, label/value blocks and tables that flow
 * over pages. Identifiers (EUI-64s, MPAN, RequestIDs, hashes) are set in Courier on one line and never
 * truncated or wrapped: when one would not fit its space, its font size shrinks until it does.
 */

type Doc = InstanceType<typeof PDFDocument>;

export const FONT = 'Helvetica';
export const FONT_BOLD = 'Helvetica-Bold';
export const FONT_MONO = 'Courier';
export const BODY_SIZE = 8.5;
const MIN_MONO_SIZE = 4;
const CELL_PAD = 2;

/** A cell: plain text wraps; an identifier stays on one line. */
export type Cell = string | { readonly id: string };

export interface Column {
  readonly header: string;
  readonly width: number;
}

export function contentWidth(doc: Doc): number {
  return doc.page.width - doc.page.margins.left - doc.page.margins.right;
}

function bottom(doc: Doc): number {
  return doc.page.height - doc.page.margins.bottom;
}

/** Starts a new page when fewer than `height` points are left. */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

/** The size at which `text` fits `width` in Courier on one line (never below 4 pt). */
export function monoSizeToFit(doc: Doc, text: string, width: number, size = BODY_SIZE): number {
  doc.font(FONT_MONO).fontSize(size);
  const natural = doc.widthOfString(text);
  return natural <= width ? size : Math.max(MIN_MONO_SIZE, Math.floor((size * width * 100) / natural) / 100);
}

/** Writes an identifier on one line at (x, y), shrunk to `width` if need be. */
export function drawIdentifier(doc: Doc, text: string, x: number, y: number, width: number, size = BODY_SIZE): void {
  doc.font(FONT_MONO).fontSize(monoSizeToFit(doc, text, width, size));
  doc.text(text, x, y, { lineBreak: false });
}

export function heading(doc: Doc, text: string): void {
  // Room for the heading and a table's first rows, so a heading never ends a page alone.
  ensureSpace(doc, 80);
  doc.moveDown(0.6);
  doc
    .font(FONT_BOLD)
    .fontSize(11)
    .fillColor('black')
    .text(text, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.2);
}

export function paragraph(doc: Doc, text: string): void {
  doc
    .font(FONT)
    .fontSize(BODY_SIZE)
    .text(text, doc.page.margins.left, doc.y, { width: contentWidth(doc) });
}

function cellHeight(doc: Doc, cell: Cell, width: number): number {
  if (typeof cell !== 'string') return BODY_SIZE + 3;
  doc.font(FONT).fontSize(BODY_SIZE);
  return doc.heightOfString(cell || ' ', { width: width - CELL_PAD * 2 });
}

function drawCell(doc: Doc, cell: Cell, x: number, y: number, width: number): void {
  if (typeof cell === 'string')
    doc
      .font(FONT)
      .fontSize(BODY_SIZE)
      .text(cell, x + CELL_PAD, y, { width: width - CELL_PAD * 2 });
  else drawIdentifier(doc, cell.id, x + CELL_PAD, y, width - CELL_PAD * 2);
}

/** Label/value rows (label column 130 pt). */
export function fields(doc: Doc, rows: readonly (readonly [string, Cell | undefined])[]): void {
  const x = doc.page.margins.left;
  const labelWidth = 130;
  const valueWidth = contentWidth(doc) - labelWidth;
  for (const [label, value] of rows) {
    const cell = value ?? '—';
    const height = Math.max(cellHeight(doc, cell, valueWidth), BODY_SIZE + 3) + 2;
    ensureSpace(doc, height);
    const y = doc.y;
    doc.font(FONT_BOLD).fontSize(BODY_SIZE).text(label, x, y, { width: labelWidth, lineBreak: false });
    drawCell(doc, cell, x + labelWidth - CELL_PAD, y, valueWidth + CELL_PAD);
    doc.x = x;
    doc.y = y + height;
  }
}

function headerRow(doc: Doc, columns: readonly Column[]): void {
  const x0 = doc.page.margins.left;
  const height =
    Math.max(...columns.map((c) => (doc.font(FONT_BOLD).fontSize(BODY_SIZE), doc.heightOfString(c.header, { width: c.width - CELL_PAD * 2 })))) + 4;
  const y = doc.y;
  doc.rect(x0, y, contentWidth(doc), height).fill('#e6e6e6').fillColor('black');
  let x = x0;
  for (const column of columns) {
    doc
      .font(FONT_BOLD)
      .fontSize(BODY_SIZE)
      .text(column.header, x + CELL_PAD, y + 2, { width: column.width - CELL_PAD * 2 });
    x += column.width;
  }
  doc.x = x0;
  doc.y = y + height;
}

/**
 * A table that flows over pages, repeating its header. A row may carry a full-width `detail` line under it
 * (reasons, labels) so the columns stay narrow.
 */
export function table(doc: Doc, columns: readonly Column[], rows: readonly { cells: readonly Cell[]; detail?: string }[]): void {
  if (rows.length === 0) {
    paragraph(doc, 'None recorded.');
    return;
  }
  const x0 = doc.page.margins.left;
  ensureSpace(doc, 40);
  headerRow(doc, columns);
  for (const row of rows) {
    const heights = row.cells.map((cell, i) => cellHeight(doc, cell, columns[i]!.width));
    const detailHeight = row.detail ? (doc.font(FONT).fontSize(BODY_SIZE - 0.5), doc.heightOfString(row.detail, { width: contentWidth(doc) - 16 })) : 0;
    const height = Math.max(...heights) + 4 + detailHeight;
    if (doc.y + height > bottom(doc)) {
      doc.addPage();
      headerRow(doc, columns);
    }
    const y = doc.y;
    let x = x0;
    row.cells.forEach((cell, i) => {
      drawCell(doc, cell, x, y + 2, columns[i]!.width);
      x += columns[i]!.width;
    });
    if (row.detail) {
      doc
        .font(FONT)
        .fontSize(BODY_SIZE - 0.5)
        .fillColor('#333333')
        .text(row.detail, x0 + 12, y + Math.max(...heights) + 3, { width: contentWidth(doc) - 16 });
      doc.fillColor('black');
    }
    doc
      .moveTo(x0, y + height)
      .lineTo(x0 + contentWidth(doc), y + height)
      .lineWidth(0.3)
      .strokeColor('#bbbbbb')
      .stroke();
    doc.x = x0;
    doc.y = y + height;
  }
}
