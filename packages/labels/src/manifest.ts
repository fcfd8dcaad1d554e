/**
 * Carrier / bus manifest (客运班车带货交接清单): a paginated A4 table of the parcels handed to a
 * carrier, with masked recipients (the driver is a third party), totals and signature lines.
 */
import { maskName, maskPhone, maskPhonesInText } from '@cuntong/domain/privacy/mask.ts';
import { Canvas } from './pdf/canvas.ts';
import { SubsetFont } from './pdf/font.ts';
import { MM, PdfWriter, type PdfInfo } from './pdf/writer.ts';
import { formatWeight } from './label.ts';

export interface ManifestParcel {
  waybillNo: string;
  recipientName: string;
  recipientPhone: string;
  destination: string;
  product?: string;
  quantity?: number;
  weightG?: number;
}

export interface ManifestHeader {
  title?: string;
  /** e.g. 惠水—都匀 班车 */
  route: string;
  /** Vehicle plate, e.g. 贵J·12345 */
  vehicle?: string;
  carrier?: string;
  /** Departure station or outlet */
  origin: string;
  /** ISO date (injected) */
  date: string;
  manifestNo?: string;
}

const PAGE_W = 210;
const PAGE_H = 297;
const MARGIN = 10;
const ROW_H = 6.5;
const TABLE_TOP = 38;
const FOOTER = 30;

const COLUMNS: Array<{ key: string; title: string; width: number; align?: 'right' | 'center' }> = [
  { key: 'n', title: '序号', width: 10, align: 'center' },
  { key: 'no', title: '运单号', width: 36 },
  { key: 'name', title: '收件人', width: 18 },
  { key: 'phone', title: '电话', width: 25 },
  { key: 'dest', title: '目的地', width: 40 },
  { key: 'product', title: '内件', width: 33 },
  { key: 'qty', title: '件数', width: 11, align: 'right' },
  { key: 'weight', title: '重量', width: 17, align: 'right' },
];

export const MANIFEST_ROWS_PER_PAGE = Math.floor((PAGE_H - MARGIN - FOOTER - TABLE_TOP - ROW_H) / ROW_H);

function clip(c: Canvas, s: string, width: number, size: number): string {
  if (c.widthMm(s, size) <= width) return s;
  let t = Array.from(s);
  while (t.length > 0 && c.widthMm(t.join('') + '…', size) > width) t = t.slice(0, -1);
  return t.join('') + '…';
}

export function* renderManifestPdf(parcels: readonly ManifestParcel[], header: ManifestHeader, info: PdfInfo = {}): Generator<Uint8Array> {
  const font = new SubsetFont();
  const pdf = new PdfWriter(font, { title: header.title ?? '交接清单', ...info });
  const pages = Math.max(1, Math.ceil(parcels.length / MANIFEST_ROWS_PER_PAGE));
  const totalWeight = parcels.reduce((s, p) => s + (p.weightG ?? 0), 0);
  const totalQty = parcels.reduce((s, p) => s + (p.quantity ?? 1), 0);
  for (let page = 0; page < pages; page++) {
    const c = new Canvas(font, PAGE_H);
    c.text(header.title ?? '客运班车带货交接清单', PAGE_W / 2, MARGIN + 7, { sizePt: 16, bold: true, align: 'center' });
    const meta = [`线路：${header.route}`, `始发：${header.origin}`, header.vehicle ? `车辆：${header.vehicle}` : '', header.carrier ? `承运：${header.carrier}` : ''].filter(Boolean).join('    ');
    c.text(meta, MARGIN, MARGIN + 15, { sizePt: 9 });
    c.text(`日期：${header.date}${header.manifestNo ? `    清单号：${header.manifestNo}` : ''}`, MARGIN, MARGIN + 21, { sizePt: 9 });
    c.text(`第 ${page + 1} / ${pages} 页`, PAGE_W - MARGIN, MARGIN + 21, { sizePt: 9, align: 'right' });
    // header row
    let x = MARGIN;
    c.fillRect(MARGIN, TABLE_TOP, PAGE_W - 2 * MARGIN, ROW_H, 0.88);
    for (const col of COLUMNS) {
      c.text(col.title, col.align === 'right' ? x + col.width - 1.5 : col.align === 'center' ? x + col.width / 2 : x + 1.5, TABLE_TOP + 4.6, { sizePt: 9, bold: true, align: col.align ?? 'left' });
      x += col.width;
    }
    const slice = parcels.slice(page * MANIFEST_ROWS_PER_PAGE, (page + 1) * MANIFEST_ROWS_PER_PAGE);
    slice.forEach((p, i) => {
      const y = TABLE_TOP + ROW_H * (i + 1);
      const cells: Record<string, string> = {
        n: String(page * MANIFEST_ROWS_PER_PAGE + i + 1),
        no: p.waybillNo,
        name: maskName(p.recipientName),
        phone: maskPhone(p.recipientPhone),
        dest: p.destination,
        product: maskPhonesInText(p.product ?? ''),
        qty: String(p.quantity ?? 1),
        weight: p.weightG !== undefined ? formatWeight(p.weightG) : '',
      };
      let cx = MARGIN;
      for (const col of COLUMNS) {
        const s = clip(c, cells[col.key] ?? '', col.width - 3, 8.5);
        c.text(s, col.align === 'right' ? cx + col.width - 1.5 : col.align === 'center' ? cx + col.width / 2 : cx + 1.5, y + 4.5, { sizePt: 8.5, align: col.align ?? 'left' });
        cx += col.width;
      }
      c.line(MARGIN, y + ROW_H, PAGE_W - MARGIN, y + ROW_H, 0.1);
    });
    const bottom = TABLE_TOP + ROW_H * (slice.length + 1);
    c.strokeRect(MARGIN, TABLE_TOP, PAGE_W - 2 * MARGIN, bottom - TABLE_TOP, 0.3);
    let cx = MARGIN;
    for (const col of COLUMNS.slice(0, -1)) {
      cx += col.width;
      c.line(cx, TABLE_TOP, cx, bottom, 0.1);
    }
    if (page === pages - 1) {
      c.text(`合计：${parcels.length} 票  ${totalQty} 件  ${formatWeight(totalWeight)}`, MARGIN, bottom + 7, { sizePt: 10, bold: true });
    }
    const sy = PAGE_H - MARGIN - 8;
    c.text('交件人签字：', MARGIN, sy, { sizePt: 9 });
    c.text('承运人签字：', MARGIN + 65, sy, { sizePt: 9 });
    c.text('接收站签字：', MARGIN + 130, sy, { sizePt: 9 });
    c.text('收件人信息已按隐私面单要求隐藏部分内容', MARGIN, PAGE_H - MARGIN, { sizePt: 6.5 });
    pdf.addPage(PAGE_W * MM, PAGE_H * MM, c.toString());
    yield* pdf.take();
  }
  yield* pdf.finish();
}

export function renderManifestPdfBuffer(parcels: readonly ManifestParcel[], header: ManifestHeader, info: PdfInfo = {}): Buffer {
  return Buffer.concat([...renderManifestPdf(parcels, header, info)]);
}
