import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { DomainError } from '@cuntong/domain/errors.ts';
import { decodeText, readOrderFile, readOrders, zipUncompressedSize } from './orders-file.ts';
import { demoOrderRows } from '../demo.ts';

async function xlsx(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('订单');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function rejection(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error('expected a rejection');
}

const HEADER = ['订单编号', '收货人姓名', '联系手机', '收货地址', '宝贝标题', '购买数量', '重量(kg)'];

describe('readOrderFile / readOrders', () => {
  it('reads an .xlsx export with sheet row numbers, numeric phones and empty rows', async () => {
    const buf = await xlsx([
      HEADER,
      ['A1', '张小娟', 13812345678, '广东省深圳市南山区科技园科苑路15号', '米粉', 2, 1.5],
      [],
      ['A2', '李四', '1381234', '贵州省黔南布依族苗族自治州惠水县和平镇', '米粉', 1, 1],
      ['', ' ', '', '', '', '', ''],
      ['A3', '王五', '0854-8221234', '四川省成都市武侯区人民南路4段', '刺梨', 1, 2],
    ]);
    const res = await readOrders(buf, 'orders.xlsx');
    expect(res.orders.map((o) => [o.row, o.recipientPhone, o.weightG])).toEqual([
      [2, '13812345678', 1500],
      [6, '0854-8221234', 2000],
    ]);
    expect(res.rejected).toEqual([{ row: 4, field: 'recipientPhone', message: expect.stringContaining('1381234') }]);
  });

  it('reads UTF-8 (with BOM) and GBK CSV', async () => {
    const csv = `${HEADER.join(',')}\nA1,张三,13900000000,"贵州省都匀市文峰路1号",毛尖,1,0.5\n`;
    const utf8 = await readOrders(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]), 'orders.csv');
    expect(utf8.orders[0]?.recipientName).toBe('张三');
    // GBK bytes of 张三 are D5 C5 C8 FD; not valid UTF-8, so GB18030 decoding applies.
    expect(decodeText(Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]))).toBe('张三');
  });

  it('rejects missing columns with the headers found', async () => {
    const e = await rejection(readOrders(Buffer.from('订单号,收件人,商品\n1,张三,米粉\n'), 'x.csv'));
    expect(e.code).toBe('orders.columns_missing');
    expect(e.message).toMatch(/手机\/电话.*收货地址/);
  });

  it('rejects a file over the size limit before parsing it (50 MB)', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 0x41);
    const t = performance.now();
    const e = await rejection(readOrderFile(big, 'huge.xlsx'));
    expect(e.kind).toBe('too_large');
    expect(e.code).toBe('orders.file_too_large');
    expect(e.message).toContain('50.0 MB');
    expect(performance.now() - t).toBeLessThan(200);
    expect((await rejection(readOrderFile(Buffer.alloc(2048, 0x41), 'a.csv', { maxBytes: 1024 }))).kind).toBe('too_large');
  });

  it('rejects random bytes named .xlsx, binary junk named .csv, old .xls and broken zips', async () => {
    let seed = 7;
    const random = Buffer.from(Array.from({ length: 4096 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 24) & 0xff));
    random[0] = 0x00;
    expect((await rejection(readOrderFile(random, 'orders.xlsx'))).code).toBe('orders.file_not_workbook');
    expect((await rejection(readOrderFile(random, 'orders.csv'))).code).toBe('orders.file_not_workbook');
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    expect((await rejection(readOrderFile(ole, 'orders.xls'))).code).toBe('orders.file_old_excel');
    const brokenZip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(1000, 7)]);
    expect((await rejection(readOrderFile(brokenZip, 'orders.xlsx'))).code).toBe('orders.file_unreadable');
    expect((await rejection(readOrderFile(Buffer.alloc(0), 'empty.csv'))).code).toBe('orders.file_empty');
  });

  it('rejects a workbook that would inflate beyond the limit before exceljs reads it (zip bomb guard)', async () => {
    const buf = await xlsx([HEADER, ['A1', '张三', '13900000000', '贵州省都匀市文峰路1号', '毛尖', 1, 0.5]]);
    const real = zipUncompressedSize(buf);
    expect(real).toBeGreaterThan(buf.length); // xml compresses
    const e = await rejection(readOrderFile(buf, 'bomb.xlsx', { maxUncompressedBytes: (real ?? 0) - 1 }));
    expect(e.kind).toBe('too_large');
    // Declared sizes are what counts: patch one entry to claim 4 GB.
    const patched = Buffer.from(buf);
    const cd = patched.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    patched.writeUInt32LE(0xfffffff0, cd + 24);
    expect((await rejection(readOrderFile(patched, 'bomb.xlsx'))).code).toBe('orders.file_too_large');
    expect((await readOrderFile(buf, 'ok.xlsx')).rows).toHaveLength(2);
  });

  it('parses a generated demo export with errors mixed in', async () => {
    const rows = demoOrderRows(300, { seed: 1, errorRate: 0.1, emptyRate: 0.05 });
    const res = await readOrders(await xlsx(rows), 'demo.xlsx');
    expect(res.total).toBe(300);
    expect(res.orders.length + new Set(res.rejected.map((r) => r.row)).size).toBe(300);
    expect(res.rejected.length).toBeGreaterThan(10);
    expect(res.skippedEmpty).toBeGreaterThan(0);
    for (const r of res.rejected) expect(rows[r.row - 1]?.[0]).toMatch(/^TB/); // row numbers point at the sheet row
  });
});
