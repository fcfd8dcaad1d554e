/**
 * Label documents: one 100 × 150 mm label a page (thermal printers) or several labels scaled onto
 * A4 sheets. Output is a generator of byte chunks, so 10,000 labels stream to a file in constant
 * memory; `renderLabelsPdfBuffer` collects them for small jobs and tests.
 *
 * A worker-pool variant (content streams made in piscina workers with the main thread's glyph
 * table) was built and measured: on this shared machine it was slower and used twice the memory
 * (see docs/labels.md), so it was removed.
 */
import { labelContent, LABEL_H_MM, LABEL_W_MM, templateContent, type LabelData } from './label.ts';
import { SubsetFont, type TextFont } from './pdf/font.ts';
import { fmt, MM, PdfWriter, type PdfInfo } from './pdf/writer.ts';

export type LabelFormat = 'thermal' | 'a4';

export interface LabelPdfOptions {
  format?: LabelFormat;
  /** Labels per A4 sheet: 4 (2 × 2, ~96 % size) or 6 (2 × 3, ~64 % size). */
  perSheet?: 4 | 6;
  info?: PdfInfo;
  /** A font to reuse (its subset grows with every document; use a fresh one per document). */
  font?: SubsetFont;
  /** Called after every page with the number of labels done. */
  onProgress?: (done: number) => void;
}

export interface PageSpec {
  format: LabelFormat;
  perSheet: 4 | 6;
}

export const A4_W_MM = 210;
export const A4_H_MM = 297;
const SHEET_MARGIN_MM = 5;

export interface SheetSlot {
  /** Bottom-left corner of the label on the page, pt. */
  xPt: number;
  yPt: number;
  scale: number;
}

/** Positions of the labels on an A4 sheet, in reading order. */
export function sheetSlots(perSheet: 4 | 6): SheetSlot[] {
  const cols = 2;
  const rows = perSheet === 4 ? 2 : 3;
  const cellW = (A4_W_MM - 2 * SHEET_MARGIN_MM) / cols;
  const cellH = (A4_H_MM - 2 * SHEET_MARGIN_MM) / rows;
  const scale = Math.min(cellW / LABEL_W_MM, cellH / LABEL_H_MM);
  const slots: SheetSlot[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const x = SHEET_MARGIN_MM + c * cellW + (cellW - LABEL_W_MM * scale) / 2;
      const top = SHEET_MARGIN_MM + r * cellH + (cellH - LABEL_H_MM * scale) / 2;
      slots.push({ xPt: x * MM, yPt: (A4_H_MM - top - LABEL_H_MM * scale) * MM, scale });
    }
  }
  return slots;
}

export function labelsPerPage(spec: PageSpec): number {
  return spec.format === 'thermal' ? 1 : spec.perSheet;
}

export function pageSizePt(spec: PageSpec): [number, number] {
  return spec.format === 'thermal' ? [LABEL_W_MM * MM, LABEL_H_MM * MM] : [A4_W_MM * MM, A4_H_MM * MM];
}

/** Content streams of the pages holding `labels` (a whole number of pages, the last may be partial). */
export function pageContents(labels: readonly LabelData[], spec: PageSpec, font: TextFont): string[] {
  if (spec.format === 'thermal') return labels.map((d) => labelContent(font, d));
  const slots = sheetSlots(spec.perSheet);
  const pages: string[] = [];
  for (let i = 0; i < labels.length; i += slots.length) {
    const parts: string[] = [];
    labels.slice(i, i + slots.length).forEach((d, j) => {
      const s = slots[j];
      if (s) parts.push(`q ${fmt(s.scale)} 0 0 ${fmt(s.scale)} ${fmt(s.xPt)} ${fmt(s.yPt)} cm\n${labelContent(font, d)}\nQ`);
    });
    pages.push(parts.join('\n'));
  }
  return pages;
}

function startDocument(opts: LabelPdfOptions): { font: SubsetFont; pdf: PdfWriter; spec: PageSpec } {
  const font = opts.font ?? new SubsetFont();
  const pdf = new PdfWriter(font, { title: '运单标签', creator: 'cuntong labels', ...opts.info });
  pdf.addForm('Tpl', templateContent(font), [0, 0, Number(fmt(LABEL_W_MM * MM)), Number(fmt(LABEL_H_MM * MM))]);
  return { font, pdf, spec: { format: opts.format ?? 'thermal', perSheet: opts.perSheet ?? 4 } };
}

export function* renderLabelsPdf(labels: Iterable<LabelData>, opts: LabelPdfOptions = {}): Generator<Uint8Array> {
  const { font, pdf, spec } = startDocument(opts);
  yield* pdf.take();
  const [w, h] = pageSizePt(spec);
  const per = labelsPerPage(spec);
  let batch: LabelData[] = [];
  let done = 0;
  const flush = () => {
    for (const c of pageContents(batch, spec, font)) pdf.addPage(w, h, c);
    done += batch.length;
    batch = [];
    opts.onProgress?.(done);
  };
  for (const d of labels) {
    batch.push(d);
    if (batch.length === per) {
      flush();
      yield* pdf.take();
    }
  }
  if (batch.length > 0) flush();
  yield* pdf.finish();
}

export function renderLabelsPdfBuffer(labels: Iterable<LabelData>, opts: LabelPdfOptions = {}): Buffer {
  return Buffer.concat([...renderLabelsPdf(labels, opts)]);
}
