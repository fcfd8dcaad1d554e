import { describe, expect, it } from 'vitest';
import { renderZplLabel, zplEscape } from './zpl.ts';
import { MANIFEST_ROWS_PER_PAGE, renderManifestPdfBuffer, type ManifestParcel } from './manifest.ts';
import { labelFromOrder } from './from-order.ts';
import { DEMO_SENDER, demoOrderRows } from './demo.ts';
import { SAMPLE_LABEL } from './test-support/fixtures.ts';
import { pdfText } from './test-support/raster.ts';
import { parseOrders } from '@cuntong/domain/orders/orders.ts';

describe('ZPL', () => {
  const zpl = renderZplLabel({ ...SAMPLE_LABEL, remark: 'a^b~c' });
  it('is one UTF-8 label with a Code 128 field and a QR code', () => {
    expect(zpl.startsWith('^XA\n^CI28\n')).toBe(true);
    expect(zpl.trim().endsWith('^XZ')).toBe(true);
    expect(zpl).toMatch(/\^BCN,\d+,N,N,N,A\^FD95270000000013\^FS/);
    expect(zpl).toMatch(/\^BQN,2,\d\^FH\\\^FDMA,95270000000013\^FS/);
    expect(zpl).toContain('^PW800');
    expect(zpl).toContain('^LL1200');
  });
  it('prints masked personal data only', () => {
    expect(zpl).toContain('张*娟  138******78');
    expect(zpl).not.toContain('13812345678');
    expect(zpl).not.toContain('张小娟');
    expect(zpl).not.toContain('2单元301');
  });
  it('escapes control characters in field data', () => {
    expect(zplEscape('a^b~c\\d')).toBe('a\\5Eb\\7Ec\\5Cd');
  });
  it('keeps the barcode and its quiet zones inside the label', () => {
    const m = /\^BY(\d),3,\d+\n\^FO(\d+),\d+\^BC/.exec(zpl);
    expect(m).not.toBeNull();
    const moduleDots = Number(m?.[1]);
    const x = Number(m?.[2]);
    expect(x - 10 * moduleDots).toBeGreaterThan(12); // left frame at 1.5 mm = 12 dots
  });
});

describe('manifest PDF', () => {
  const parcels: ManifestParcel[] = Array.from({ length: MANIFEST_ROWS_PER_PAGE + 5 }, (_, i) => ({
    waybillNo: `9527${String(i).padStart(10, '0')}`,
    recipientName: '张小娟',
    recipientPhone: '13812345678',
    destination: '贵州 黔南 都匀市',
    product: '惠水米粉',
    quantity: 1,
    weightG: 1000,
  }));
  const pdf = renderManifestPdfBuffer(parcels, { route: '惠水—都匀 班车', origin: '惠水县邮政分公司', vehicle: '贵J·12345', date: '2026-11-30' });
  it('paginates with page numbers and totals on the last page', () => {
    const text = pdfText(pdf).replace(/\s+/g, '');
    expect(text).toContain('第1/2页');
    expect(text).toContain('第2/2页');
    expect(text).toContain(`合计：${parcels.length}票`);
    expect(text).toContain('客运班车带货交接清单');
  });
  it('masks recipients', () => {
    const text = pdfText(pdf);
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('张小娟');
    expect(text).toContain('138******78');
  });
});

describe('labelFromOrder', () => {
  it('builds label data with a sorting destination from a parsed order', () => {
    const res = parseOrders({ rows: demoOrderRows(20, { seed: 3 }).map((cells, i) => ({ row: i + 1, cells })) });
    const o = res.orders[0];
    expect(o).toBeDefined();
    if (!o) return;
    const d = labelFromOrder(o, { waybillNo: '95270000000013', sender: DEMO_SENDER, date: '2026-11-30' });
    expect(d.destination.split(' ').at(-1)).toBe(o.region.county.name);
    expect(d.recipient.region?.endsWith(o.region.county.name)).toBe(true);
    expect(d.recipient.address).toBe(o.region.detail);
  });
});
