/**
 * Label documents: one 100 × 150 mm label a page (thermal printers) or several labels scaled onto
 * A4 sheets. Output is a generator of byte chunks, so 10,000 labels stream to a file in constant
 * memory; `renderLabelsPdfBuffer` collects them for small jobs and tests.
 */
import { labelContent, LABEL_H_MM, LABEL_W_MM, templateContent, type LabelData } from './label.ts';
import { SubsetFont } from './pdf/font.ts';
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

export function* renderLabelsPdf(labels: Iterable<LabelData>, opts: LabelPdfOptions = {}): Generator<Uint8Array> {
  const font = opts.font ?? new SubsetFont();
  const pdf = new PdfWriter(font, { title: '运单标签', creator: 'cuntong labels', ...opts.info });
  pdf.addForm('Tpl', templateContent(font), [0, 0, fmt(LABEL_W_MM * MM), fmt(LABEL_H_MM * MM)].map(Number) as [number, number, number, number]);
  yield* pdf.take();
  let done = 0;
  if ((opts.format ?? 'thermal') === 'thermal') {
    for (const d of labels) {
      pdf.addPage(LABEL_W_MM * MM, LABEL_H_MM * MM, labelContent(font, d));
      opts.onProgress?.(++done);
      yield* pdf.take();
    }
  } else {
    const slots = sheetSlots(opts.perSheet ?? 4);
    let parts: string[] = [];
    const flush = () => {
      pdf.addPage(A4_W_MM * MM, A4_H_MM * MM, parts.join('\n'));
      parts = [];
    };
    for (const d of labels) {
      const slot = slots[parts.length];
      if (!slot) throw new Error('unreachable: slot');
      parts.push(`q ${fmt(slot.scale)} 0 0 ${fmt(slot.scale)} ${fmt(slot.xPt)} ${fmt(slot.yPt)} cm\n${labelContent(font, d)}\nQ`);
      done++;
      if (parts.length === slots.length) {
        flush();
        opts.onProgress?.(done);
        yield* pdf.take();
      }
    }
    if (parts.length > 0) {
      flush();
      opts.onProgress?.(done);
    }
  }
  yield* pdf.finish();
}

export function renderLabelsPdfBuffer(labels: Iterable<LabelData>, opts: LabelPdfOptions = {}): Buffer {
  return Buffer.concat([...renderLabelsPdf(labels, opts)]);
}
