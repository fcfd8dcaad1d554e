/**
 * Printable dispatch manifests (A4, Chinese), drawn with the labels package's PDF writer and
 * embedded Noto Sans SC subset (docs/labels.md): one per carrier run (stops in order, parcels per
 * stop, COD, a signature box per parcel) and one per bus trip (bags with seal numbers, villages,
 * parcel counts, the bus crew's signature). Recipients arrive masked (GB/T 41833) and are masked
 * again here so an unmasked value can never reach paper.
 */
import { maskName, maskPhone } from '@cuntong/domain/privacy/mask.ts';
import { Canvas } from '@cuntong/labels/pdf/canvas.ts';
import { SubsetFont } from '@cuntong/labels/pdf/font.ts';
import { MM, PdfWriter } from '@cuntong/labels/pdf/writer.ts';

export interface ManifestParcelRow { waybillNo: string; name: string; phone: string; pieces: number; weightG: number; codFen: number }
export interface RunManifest {
  outlet: string; date: string; dispatchId: string;
  run: { id: string; vehicleCode: string; routeName?: string; vehicleType?: string; carriers?: Array<{ name: string; vehicle: string | null }>; trip: number; departure: string; capacityKg: number };
  stops: Array<{ villageCode: string; villageName: string; arrival: string; parcels: ManifestParcelRow[] }>;
}
export interface TripManifest {
  outlet: string; date: string; dispatchId: string;
  trip: { id: string; lineCode: string; lineName: string; departure: string };
  bags: Array<{ sealNo: string | null; villageCode: string; villageName: string; stopName: string; arrival: string; parcels: ManifestParcelRow[] }>;
}

const W = 210;
const H = 297;
const M = 12;
const ROW = 6.5;
const BOTTOM = H - 40; // room for the signature block

const VEHICLE: Record<string, string> = { e_bike: '电动自行车', motorcycle: '摩托车', van: '厢式货车' };
const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
const kg = (g: number) => `${(g / 1000).toFixed(1)} kg`;
/** Masks what is not already masked (a masked value contains *). */
const safeName = (s: string) => (s === '' ? '' : s.includes('*') ? s : maskName(s));
const safePhone = (s: string) => (s === '' ? '' : s.includes('*') ? s : maskPhone(s));

type Col = { title: string; width: number; align?: 'left' | 'right' | 'center' };

/** A page flow: header on every page, rows added top to bottom, a new page when full. */
class Flow {
  private readonly font = new SubsetFont();
  private readonly pdf: PdfWriter;
  private readonly pages: Canvas[] = [];
  private c!: Canvas;
  y = 0;
  constructor(private readonly title: string, private readonly meta: string[], private readonly docTitle: string) {
    this.pdf = new PdfWriter(this.font, { title: docTitle });
    this.newPage();
  }
  private newPage() {
    this.c = new Canvas(this.font, H);
    this.pages.push(this.c);
    this.c.text(this.title, W / 2, M + 7, { sizePt: 16, bold: true, align: 'center' });
    this.meta.forEach((line, i) => this.c.text(line, M, M + 15 + i * 5.5, { sizePt: 9 }));
    this.y = M + 15 + this.meta.length * 5.5;
  }
  /** What a table continued on a new page repeats at its top: its band (marked 续) and header. */
  private cont: { band: string; cols: Col[] } | null = null;
  ensure(h: number): boolean {
    if (this.y + h <= BOTTOM) return false;
    this.newPage();
    return true;
  }
  /** Starts a table: rows added after this repeat the band and header on a new page. */
  table(band: string, cols: Col[], right = '') {
    this.cont = null;
    this.band(band, right);
    this.header(cols);
    this.cont = { band, cols };
  }
  endTable() {
    this.cont = null;
  }
  band(text: string, right = '') {
    this.ensure(ROW * 3);
    this.c.fillRect(M, this.y, W - 2 * M, ROW, 0.88);
    this.c.text(text, M + 1.5, this.y + 4.6, { sizePt: 9.5, bold: true });
    if (right) this.c.text(right, W - M - 1.5, this.y + 4.6, { sizePt: 9, align: 'right' });
    this.y += ROW;
  }
  header(cols: Col[]) {
    this.ensure(ROW * 2);
    this.row(cols, cols.map((c) => c.title), true);
  }
  row(cols: Col[], cells: string[], bold = false, boxAt?: number) {
    if (this.ensure(ROW) && this.cont && !bold) {
      const c = this.cont;
      this.band(`${c.band}（续）`);
      this.row(c.cols, c.cols.map((x) => x.title), true);
    }
    let x = M;
    cols.forEach((col, i) => {
      const s = this.clip(cells[i] ?? '', col.width - 3, 8.5);
      const tx = col.align === 'right' ? x + col.width - 1.5 : col.align === 'center' ? x + col.width / 2 : x + 1.5;
      this.c.text(s, tx, this.y + 4.5, { sizePt: 8.5, bold, align: col.align ?? 'left' });
      if (boxAt === i) this.c.strokeRect(x + 1, this.y + 0.8, col.width - 2, ROW - 1.6, 0.2);
      x += col.width;
    });
    this.c.line(M, this.y + ROW, W - M, this.y + ROW, 0.1);
    this.y += ROW;
  }
  text(s: string, size = 9, bold = false) {
    this.ensure(6);
    this.y += 5;
    this.c.text(s, M, this.y, { sizePt: size, bold });
    this.y += 1.5;
  }
  space(mm: number) {
    this.y += mm;
  }
  private clip(s: string, width: number, size: number): string {
    if (this.c.widthMm(s, size) <= width) return s;
    let t = Array.from(s);
    while (t.length > 0 && this.c.widthMm(`${t.join('')}…`, size) > width) t = t.slice(0, -1);
    return `${t.join('')}…`;
  }
  /** Signature boxes at the foot of every page, page numbers, privacy note; then the bytes. */
  finish(signatures: string[]): Buffer {
    const n = this.pages.length;
    const out: Uint8Array[] = [];
    this.pages.forEach((c, i) => {
      const bw = (W - 2 * M - (signatures.length - 1) * 4) / signatures.length;
      signatures.forEach((s, k) => {
        const x = M + k * (bw + 4);
        c.strokeRect(x, H - 36, bw, 18, 0.3);
        c.text(s, x + 1.5, H - 32, { sizePt: 8.5 });
        c.text('时间：', x + 1.5, H - 20, { sizePt: 7.5 });
      });
      c.text(`第 ${i + 1} / ${n} 页`, W - M, H - 10, { sizePt: 8, align: 'right' });
      c.text('收件人信息已按隐私面单要求隐藏部分内容（GB/T 41833）', M, H - 10, { sizePt: 6.5 });
      this.pdf.addPage(W * MM, H * MM, c.toString());
      out.push(...this.pdf.take());
    });
    out.push(...this.pdf.finish());
    return Buffer.concat(out);
  }
}

const PARCEL_COLS: Col[] = [
  { title: '序号', width: 10, align: 'center' },
  { title: '运单号', width: 38 },
  { title: '收件人', width: 20 },
  { title: '电话', width: 28 },
  { title: '件数', width: 11, align: 'right' },
  { title: '重量', width: 17, align: 'right' },
  { title: '代收货款', width: 22, align: 'right' },
  { title: '签收', width: 40 },
];

export function renderRunManifest(m: RunManifest): Buffer {
  const all = m.stops.flatMap((s) => s.parcels);
  const weight = all.reduce((a, p) => a + p.weightG, 0);
  const cod = all.reduce((a, p) => a + p.codFen, 0);
  const carriers = (m.run.carriers ?? []).map((c) => (c.vehicle ? `${c.name}（${c.vehicle}）` : c.name)).join('、');
  const f = new Flow(`投递路单 · ${m.run.vehicleCode} 第 ${m.run.trip} 趟`, [
    `营业部：${m.outlet}    日期：${m.date}    出发：${m.run.departure}    载重：${kg(weight)} / ${m.run.capacityKg} kg`,
    `投递段：${m.run.routeName || m.run.vehicleCode}    车型：${VEHICLE[m.run.vehicleType ?? ''] ?? m.run.vehicleType ?? ''}    投递员：${carriers || '—'}`,
    `清单号：${m.run.id}    派发：${m.dispatchId}    共 ${m.stops.length} 站 ${all.length} 票`,
  ], `投递路单 ${m.run.vehicleCode}`);
  let n = 0;
  m.stops.forEach((s, k) => {
    const stopCod = s.parcels.reduce((a, p) => a + p.codFen, 0);
    f.space(1.5);
    const band = `第 ${k + 1} 站  ${s.villageName}（${s.villageCode}）  预计 ${s.arrival}`;
    if (s.parcels.length === 0) {
      f.band(band, '0 票');
      f.text('本站无邮件', 8.5);
      return;
    }
    f.table(band, PARCEL_COLS, `${s.parcels.length} 票${stopCod ? `  代收 ${yuan(stopCod)}` : ''}`);
    for (const p of s.parcels) {
      n++;
      f.row(PARCEL_COLS, [String(n), p.waybillNo, safeName(p.name), safePhone(p.phone), String(p.pieces), kg(p.weightG), p.codFen ? yuan(p.codFen) : '—', ''], false, 7);
    }
    f.endTable();
  });
  f.space(2);
  f.text(`合计：${all.length} 票  ${all.reduce((a, p) => a + p.pieces, 0)} 件  ${kg(weight)}  代收货款 ${yuan(cod)}`, 10, true);
  return f.finish(['投递员签字：', '营业部交件人签字：', '返回核对（妥投/退回/代收款）：']);
}

const BAG_COLS: Col[] = [
  { title: '封签号', width: 34 },
  { title: '村 / 站', width: 60 },
  { title: '预计到达', width: 18, align: 'center' },
  { title: '件数', width: 12, align: 'right' },
  { title: '重量', width: 18, align: 'right' },
  { title: '接收站签字', width: 44 },
];
const BAG_PARCEL_COLS: Col[] = [
  { title: '序号', width: 10, align: 'center' },
  { title: '运单号', width: 42 },
  { title: '收件人', width: 24 },
  { title: '电话', width: 30 },
  { title: '件数', width: 12, align: 'right' },
  { title: '重量', width: 18, align: 'right' },
  { title: '代收货款', width: 22, align: 'right' },
];

export function renderTripManifest(m: TripManifest): Buffer {
  const all = m.bags.flatMap((b) => b.parcels);
  const f = new Flow(`交邮合作 · 班车带货交接单`, [
    `线路：${m.trip.lineCode}${m.trip.lineName ? ` ${m.trip.lineName}` : ''}    发车：${m.trip.departure}    日期：${m.date}    始发营业部：${m.outlet}`,
    `班次：${m.trip.id}    派发：${m.dispatchId}    共 ${m.bags.length} 袋 ${all.length} 件`,
  ], `班车交接单 ${m.trip.lineCode} ${m.trip.departure}`);
  f.space(1.5);
  f.table('袋清单', BAG_COLS);
  for (const b of m.bags) {
    f.row(BAG_COLS, [b.sealNo ?? '（未施封）', `${b.villageName}（${b.stopName || b.villageCode}）`, b.arrival, String(b.parcels.length), kg(b.parcels.reduce((a, p) => a + p.weightG, 0)), ''], false, 5);
  }
  f.endTable();
  f.text(`合计：${m.bags.length} 袋  ${all.length} 件  ${kg(all.reduce((a, p) => a + p.weightG, 0))}`, 10, true);
  for (const b of m.bags) {
    f.space(2);
    f.table(`封签 ${b.sealNo ?? '（未施封）'} → ${b.villageName}${b.stopName ? ` · ${b.stopName}` : ''}  预计 ${b.arrival}`, BAG_PARCEL_COLS, `${b.parcels.length} 件`);
    b.parcels.forEach((p, i) => f.row(BAG_PARCEL_COLS, [String(i + 1), p.waybillNo, safeName(p.name), safePhone(p.phone), String(p.pieces), kg(p.weightG), p.codFen ? yuan(p.codFen) : '—']));
    f.endTable();
  }
  return f.finish(['交件人签字（营业部）：', '班车驾乘人员签字（接袋，封签完好）：', '接收站签字（袋数、封签核对）：']);
}
