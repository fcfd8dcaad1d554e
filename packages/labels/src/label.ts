/**
 * Waybill label (电子运单) layout for 100 × 150 mm thermal labels, one label a page, or scaled onto
 * A4 sheets. Zones after GB/T 41833: header, destination (sorting), number + Code 128 (码号区),
 * recipient, sender, contents + QR, signature.
 *
 * Privacy (隐私面单) is applied here, not by the caller: names go through maskName, phones through
 * maskPhone, address details through maskAddress, so full personal data never reaches the PDF.
 */
import { maskAddress, maskName, maskPhone, maskPhonesInText } from '@cuntong/domain/privacy/mask.ts';
import { code128, CODE128_QUIET_MODULES, moduleWidthMm, qrMatrix } from './barcode.ts';
import { Canvas } from './pdf/canvas.ts';
import type { TextFont } from './pdf/font.ts';

export interface LabelParty {
  name: string;
  phone: string;
  /** Address after the county, e.g. 和平镇新民村3组45号 (the region names are given separately). */
  address: string;
  /** Province + city + county names to print before the address, e.g. 广东省深圳市南山区. */
  region?: string;
  /** Shops and cooperatives are not natural persons: their name is printed in full. */
  organization?: boolean;
}

export interface LabelData {
  waybillNo: string;
  /** Destination printed large for sorting, e.g. 广东 深圳 南山区. */
  destination: string;
  /** Optional sort code printed at the right of the destination, e.g. 粤-755-NS. */
  sortCode?: string;
  recipient: LabelParty;
  sender: LabelParty;
  weightG?: number;
  product?: string;
  quantity?: number;
  orderNo?: string;
  remark?: string;
  /** Shipping date, ISO (YYYY-MM-DD); injected, no clock here. */
  date: string;
  reprint?: boolean;
  /** QR content; defaults to the waybill number. Never put personal data in it. */
  qr?: string;
  /** Service line in the header, default 标准快递. */
  service?: string;
}

export const LABEL_W_MM = 100;
export const LABEL_H_MM = 150;

/** Fixed geometry (mm, from the top-left). Exported for tests and the ZPL renderer. */
export const LAYOUT = {
  margin: 1.5,
  header: { top: 1.5, bottom: 13 },
  dest: { top: 13, bottom: 34 },
  barcode: { top: 34, bottom: 64, barTop: 37, barHeight: 17, textBaseline: 60.5, availableMm: 95 },
  recipient: { top: 64, bottom: 92 },
  sender: { top: 92, bottom: 112 },
  contents: { top: 112, bottom: 136, qrSize: 17, qrQuiet: 3.5 },
  sign: { top: 136, bottom: 148.5 },
} as const;

export interface BarcodeGeometry {
  /** Left edge of the first bar, mm. */
  x: number;
  y: number;
  width: number;
  height: number;
  moduleMm: number;
  quietMm: number;
  modules: number;
}

export function barcodeGeometry(waybillNo: string): BarcodeGeometry & { widths: number[] } {
  const c = code128(waybillNo);
  const moduleMm = moduleWidthMm(c.modules, LAYOUT.barcode.availableMm);
  const width = c.modules * moduleMm;
  return {
    x: (LABEL_W_MM - width) / 2,
    y: LAYOUT.barcode.barTop,
    width,
    height: LAYOUT.barcode.barHeight,
    moduleMm,
    quietMm: CODE128_QUIET_MODULES * moduleMm,
    modules: c.modules,
    widths: c.widths,
  };
}

/** Spaced print form of the number: groups of 4 for digits, S10 as `EE 473 124 829 CN`. */
export function printableNumber(no: string): string {
  if (/^[A-Z]{2}\d{9}[A-Z]{2}$/.test(no)) return `${no.slice(0, 2)} ${no.slice(2, 5)} ${no.slice(5, 8)} ${no.slice(8, 11)} ${no.slice(11)}`;
  return no.replace(/(.{4})(?=.)/g, '$1 ');
}

export function formatWeight(g: number): string {
  return `${(g / 1000).toFixed(g % 1000 === 0 ? 1 : g % 100 === 0 ? 1 : g % 10 === 0 ? 2 : 3)} kg`;
}

/** The masked text printed for a party; the only path from personal data to the label. */
export function maskedParty(p: LabelParty): { name: string; phone: string; address: string } {
  return {
    name: p.organization ? p.name.trim() : maskName(p.name),
    phone: maskPhone(p.phone),
    address: (p.region ?? '') + maskAddress(p.address),
  };
}

const { margin: M } = LAYOUT;
const W = LABEL_W_MM;

/** Static parts of every label (frame, zone lines, captions): drawn once as a form XObject. */
export function templateContent(font: TextFont): string {
  const c = new Canvas(font, LABEL_H_MM);
  // Frame. Its vertical sides stop at the barcode zone: a scan line through the bars then meets
  // nothing but the symbol (a frame line in the scan line made decoders fail; see docs/labels.md).
  const H = LABEL_H_MM;
  c.line(M, M, W - M, M, 0.35);
  c.line(M, H - M, W - M, H - M, 0.35);
  for (const x of [M, W - M]) {
    c.line(x, M, x, LAYOUT.barcode.top, 0.35);
    c.line(x, LAYOUT.barcode.bottom, x, H - M, 0.35);
  }
  // Zone separators: horizontal lines only, so nothing crosses the barcode quiet zones.
  for (const y of [LAYOUT.header.bottom, LAYOUT.dest.bottom, LAYOUT.barcode.bottom, LAYOUT.recipient.bottom, LAYOUT.sender.bottom, LAYOUT.contents.bottom]) {
    c.line(M, y, W - M, y, 0.3);
  }
  c.text('村通 · 黔货出山', M + 2, LAYOUT.header.top + 7.5, { sizePt: 11, bold: true });
  // 收 / 寄 markers
  c.fillRect(M + 1.5, LAYOUT.recipient.top + 2, 7, 7);
  c.text('收', M + 5, LAYOUT.recipient.top + 7.6, { sizePt: 14, gray: 1, align: 'center' });
  c.strokeRect(M + 1.5, LAYOUT.sender.top + 2, 6, 6, 0.3);
  c.text('寄', M + 4.5, LAYOUT.sender.top + 6.7, { sizePt: 11, align: 'center' });
  c.text('签收人：', M + 2, LAYOUT.sign.top + 5, { sizePt: 8 });
  c.text('时间：', 52, LAYOUT.sign.top + 5, { sizePt: 8 });
  c.text('已隐藏部分个人信息（隐私面单 GB/T 41833）', M + 2, LAYOUT.sign.top + 10.5, { sizePt: 6 });
  return c.toString();
}

/** Content of one label in label coordinates (100 × 150 mm), to be drawn over the template. */
export function labelContent(font: TextFont, d: LabelData, templateName = 'Tpl'): string {
  const c = new Canvas(font, LABEL_H_MM);
  c.raw(`/${templateName} Do`);
  const L = LAYOUT;

  // Header: service, date, reprint mark
  c.text(c.wrap(d.service ?? '标准快递', 10, 18, 1)[0] ?? '', 60, L.header.top + 7.5, { sizePt: 10, align: 'right' });
  if (d.reprint) {
    c.fillRect(64, L.header.top + 1, W - M - 65, 9.5);
    c.text('重印 REPRINT', (64 + W - M - 1) / 2, L.header.top + 7.3, { sizePt: 8.5, gray: 1, align: 'center', bold: true });
  } else {
    c.text(d.date, W - M - 2, L.header.top + 7.5, { sizePt: 9, align: 'right' });
  }

  // Destination, large, for sorting
  const destRight = d.sortCode ? 66 : W - M - 2;
  const destW = destRight - (M + 2);
  const destSize = c.fitSize(d.destination, destW, 24, 14);
  if (c.widthMm(d.destination, destSize) <= destW) {
    c.text(d.destination, M + 2, L.dest.top + 13.5, { sizePt: destSize, bold: true });
  } else {
    // Too long for one line even at 14 pt: two lines of up to 14 pt.
    const lines = c.wrap(d.destination, 14, destW, 2);
    lines.forEach((line, i) => c.text(line, M + 2, L.dest.top + 8 + i * 6.5, { sizePt: 14, bold: true }));
  }
  if (d.sortCode) {
    const sortW = W - M - 2 - 68;
    const sc = c.wrap(d.sortCode, c.fitSize(d.sortCode, sortW, 22, 10), sortW, 1)[0] ?? '';
    c.text(sc, W - M - 2, L.dest.top + 13.5, { sizePt: c.fitSize(sc, sortW, 22, 10), bold: true, align: 'right' });
  }
  if (d.reprint) c.text(d.date, M + 2, L.dest.top + 19.5, { sizePt: 7 });

  // Code 128: vector bars, quiet zones left empty
  const g = barcodeGeometry(d.waybillNo);
  let x = g.x;
  for (let i = 0; i < g.widths.length; i++) {
    const w = (g.widths[i] ?? 0) * g.moduleMm;
    if (i % 2 === 0) c.fillRect(x, g.y, w, g.height);
    x += w;
  }
  c.text(printableNumber(d.waybillNo), W / 2, L.barcode.textBaseline, { sizePt: 12, align: 'center', bold: true });

  // Recipient
  const r = maskedParty(d.recipient);
  const rx = M + 11;
  const rLine = `${r.name}  ${r.phone}`;
  c.text(rLine, rx, L.recipient.top + 7.5, { sizePt: c.fitSize(rLine, W - M - 2 - rx, 13, 8), bold: true });
  const rLines = c.wrap(r.address, 10, W - M - 2 - rx, 3);
  rLines.forEach((line, i) => c.text(line, rx, L.recipient.top + 13.5 + i * 4.8, { sizePt: 10 }));

  // Sender
  const s = maskedParty(d.sender);
  const sLine = `${s.name}  ${s.phone}`;
  c.text(sLine, rx, L.sender.top + 6.5, { sizePt: c.fitSize(sLine, W - M - 2 - rx, 9, 6) });
  c.wrap(s.address, 8, W - M - 2 - rx, 2).forEach((line, i) => c.text(line, rx, L.sender.top + 11.5 + i * 3.8, { sizePt: 8 }));

  // Contents + QR
  const qrSize = L.contents.qrSize;
  const qrX = W - M - L.contents.qrQuiet - qrSize;
  const textW = qrX - 2 - (M + 2);
  let y = L.contents.top + 5;
  const product = d.product ? `${maskPhonesInText(d.product)}${d.quantity && d.quantity > 1 ? ` ×${d.quantity}` : ''}` : '—';
  for (const line of c.wrap(`内件：${product}`, 9, textW, 2)) {
    c.text(line, M + 2, y, { sizePt: 9 });
    y += 4.2;
  }
  if (d.weightG !== undefined) {
    c.text(`重量：${formatWeight(d.weightG)}`, M + 2, y, { sizePt: 9 });
    y += 4.2;
  }
  if (d.orderNo) {
    c.wrap(`订单：${d.orderNo}`, 7.5, textW, 1).forEach((line) => c.text(line, M + 2, y, { sizePt: 7.5 }));
    y += 3.6;
  }
  if (d.remark && y < L.contents.bottom - 1.5) c.wrap(`备注：${maskPhonesInText(d.remark)}`, 7.5, textW, 1).forEach((line) => c.text(line, M + 2, y, { sizePt: 7.5 }));
  c.qr(qrMatrix(d.qr ?? d.waybillNo), qrX, L.contents.top + L.contents.qrQuiet, qrSize);
  return c.toString();
}
