/**
 * ZPL II for Zebra thermal printers (203 dpi, 100 × 150 mm = 800 × 1200 dots), the same zones and
 * the same privacy masks as the PDF label.
 *
 * Chinese text: `^CI28` switches field data to UTF-8, but the printer also needs a CJK font. Zebra
 * printers ship without one: load a TrueType font with simplified Chinese glyphs onto the printer
 * (e.g. Zebra's Swiss 721/Andale CJK options, or a licensed SimSun as E:SIMSUN.TTF) and pass its
 * path as `cjkFont`. Without it the printer prints boxes or nothing for Chinese characters.
 * The barcode uses `^BC` (Code 128, automatic subset selection) with a 10-module quiet zone.
 */
import { code128 } from './barcode.ts';
import { maskPhonesInText } from '@cuntong/domain/privacy/mask.ts';
import { formatWeight, LAYOUT, maskedParty, printableNumber, type LabelData } from './label.ts';

export interface ZplOptions {
  /** Printer path of a CJK TrueType font, default E:SIMSUN.TTF. */
  cjkFont?: string;
  /** Dots per mm: 8 (203 dpi, default) or 12 (300 dpi). */
  dotsPerMm?: 8 | 12;
}

/** Field data escaped for ^FH: ^ ~ and \ as hex bytes. */
export function zplEscape(s: string): string {
  return s.replace(/[\\^~]/g, (c) => '\\' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')).replace(/[\r\n]+/g, ' ');
}

export function renderZplLabel(d: LabelData, opts: ZplOptions = {}): string {
  const k = opts.dotsPerMm ?? 8;
  const font = opts.cjkFont ?? 'E:SIMSUN.TTF';
  const D = (mm: number) => Math.round(mm * k);
  const out: string[] = ['^XA', '^CI28', `^CW1,${font}`, `^PW${D(100)}`, `^LL${D(150)}`, '^LH0,0'];
  const text = (x: number, y: number, sizeMm: number, s: string, widthMm?: number, lines = 1, reverse = false) => {
    const fb = widthMm ? `^FB${D(widthMm)},${lines},0,L` : '';
    out.push(`^FO${D(x)},${D(y)}^A1N,${D(sizeMm)},${D(sizeMm)}${fb}${reverse ? '^FR' : ''}^FH\\^FD${zplEscape(s)}^FS`);
  };
  const L = LAYOUT;
  const M = L.margin;
  // Frame and zone lines (vertical sides stop at the barcode zone, as in the PDF)
  out.push(`^FO${D(M)},${D(M)}^GB${D(100 - 2 * M)},1,3^FS`, `^FO${D(M)},${D(150 - M)}^GB${D(100 - 2 * M)},1,3^FS`);
  for (const x of [M, 100 - M]) {
    out.push(`^FO${D(x)},${D(M)}^GB1,${D(L.barcode.top - M)},3^FS`, `^FO${D(x)},${D(L.barcode.bottom)}^GB1,${D(150 - M - L.barcode.bottom)},3^FS`);
  }
  for (const y of [L.header.bottom, L.dest.bottom, L.barcode.bottom, L.recipient.bottom, L.sender.bottom, L.contents.bottom]) {
    out.push(`^FO${D(M)},${D(y)}^GB${D(100 - 2 * M)},1,2^FS`);
  }
  text(M + 2, L.header.top + 3, 4, '村通 · 黔货出山');
  text(44, L.header.top + 3.5, 3.5, d.service ?? '标准快递');
  if (d.reprint) {
    out.push(`^FO${D(64)},${D(L.header.top + 1)}^GB${D(100 - M - 65)},${D(9.5)},${D(9.5)}^FS`);
    text(66, L.header.top + 3.5, 3.2, '重印 REPRINT', undefined, 1, true);
  } else text(75, L.header.top + 3.5, 3.2, d.date);
  text(M + 2, L.dest.top + 5, 8, d.destination + (d.sortCode ? `  ${d.sortCode}` : ''), 100 - 2 * M - 4, 1);

  // Code 128: module width in dots so that bars + 2 × 10 quiet modules fit the zone
  const modules = code128(d.waybillNo).modules;
  const moduleDots = Math.max(2, Math.min(4, Math.floor(D(L.barcode.availableMm) / (modules + 20))));
  const x = Math.round((D(100) - modules * moduleDots) / 2);
  out.push(`^BY${moduleDots},3,${D(L.barcode.barHeight)}`, `^FO${x},${D(L.barcode.barTop)}^BCN,${D(L.barcode.barHeight)},N,N,N,A^FD${zplEscape(d.waybillNo)}^FS`);
  text(20, L.barcode.textBaseline - 3.5, 4, printableNumber(d.waybillNo), 60, 1);

  const r = maskedParty(d.recipient);
  out.push(`^FO${D(M + 1.5)},${D(L.recipient.top + 2)}^GB${D(7)},${D(7)},${D(7)}^FS`);
  text(M + 2.5, L.recipient.top + 3, 5, '收', undefined, 1, true);
  text(M + 11, L.recipient.top + 2.5, 4.5, `${r.name}  ${r.phone}`);
  text(M + 11, L.recipient.top + 10, 3.5, r.address, 100 - M - 2 - (M + 11), 3);
  const s = maskedParty(d.sender);
  text(M + 2, L.sender.top + 2.5, 3.5, '寄');
  text(M + 11, L.sender.top + 2.5, 3.2, `${s.name}  ${s.phone}`);
  text(M + 11, L.sender.top + 8, 2.8, s.address, 100 - M - 2 - (M + 11), 2);
  const product = d.product ? `${maskPhonesInText(d.product)}${d.quantity && d.quantity > 1 ? ` ×${d.quantity}` : ''}` : '—';
  text(M + 2, L.contents.top + 2, 3.2, `内件：${product}`, 70, 2);
  if (d.weightG !== undefined) text(M + 2, L.contents.top + 10, 3.2, `重量：${formatWeight(d.weightG)}`);
  if (d.orderNo) text(M + 2, L.contents.top + 15, 2.8, `订单：${d.orderNo}`);
  out.push(`^FO${D(100 - M - L.contents.qrQuiet - L.contents.qrSize)},${D(L.contents.top + 2)}^BQN,2,${k === 8 ? 5 : 7}^FH\\^FDMA,${zplEscape(d.qr ?? d.waybillNo)}^FS`);
  text(M + 2, L.sign.top + 2, 3, '签收人：');
  text(52, L.sign.top + 2, 3, '时间：');
  text(M + 2, L.sign.top + 7, 2.2, '已隐藏部分个人信息（隐私面单 GB/T 41833）');
  out.push('^XZ');
  return out.join('\n') + '\n';
}

/** One ^XA…^XZ block per label, streamed. */
export function* renderZpl(labels: Iterable<LabelData>, opts: ZplOptions = {}): Generator<string> {
  for (const d of labels) yield renderZplLabel(d, opts);
}
