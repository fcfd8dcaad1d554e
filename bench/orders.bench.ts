// npm run bench:orders [-- --n 10000]
// Generates a realistic 10,000-row Excel order export (Taobao-style headers, ~2 % bad rows, some
// empty rows) into a temp dir, then reads and validates it: exceljs load, column detection, phone /
// weight checks and address resolution to province/city/county. Target ≤ 10 s.
// The database insert is not part of this bench yet (it comes with the server part of issue 7).
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parseOrders } from '@cuntong/domain/orders/orders.ts';
import { demoOrderRows } from '@cuntong/labels/demo.ts';
import { readOrderFile } from '@cuntong/labels/io/orders-file.ts';

const i = process.argv.indexOf('--n');
const N = Number(i >= 0 ? process.argv[i + 1] : 10_000);
const dir = mkdtempSync(join(tmpdir(), 'cuntong-bench-orders-'));
try {
  process.stdout.write(`bench:orders — ${N} order rows (load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}; shared 2-core machine)\n`);
  const tg = performance.now();
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('订单列表');
  for (const r of demoOrderRows(N, { seed: 42, errorRate: 0.02, emptyRate: 0.005 })) {
    // Phones and quantities as numbers, as shop exports often store them
    ws.addRow(r.map((c, j) => (j === 5 && c !== '' ? Number(c) : j === 2 && /^\d{11}$/.test(c) ? Number(c) : c)));
  }
  ws.getRow(1).font = { bold: true };
  const file = join(dir, 'orders.xlsx');
  writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
  const gen = (performance.now() - tg) / 1000;

  const t0 = performance.now();
  const buf = readFileSync(file);
  const table = await readOrderFile(buf, 'orders.xlsx');
  const t1 = performance.now();
  const res = parseOrders(table);
  const t2 = performance.now();
  const total = (t2 - t0) / 1000;
  const fields = new Map<string, number>();
  for (const r of res.rejected) fields.set(r.field, (fields.get(r.field) ?? 0) + 1);
  process.stdout.write(
    [
      `generated ${(statSync(file).size / 1048576).toFixed(2)} MB .xlsx in ${gen.toFixed(2)} s (not timed)`,
      `read workbook (exceljs)      ${((t1 - t0) / 1000).toFixed(2)} s  ${table.rows.length} sheet rows`,
      `parse + validate             ${((t2 - t1) / 1000).toFixed(2)} s  ${res.orders.length} valid, ${new Set(res.rejected.map((r) => r.row)).size} rejected rows (${[...fields].map(([f, n]) => `${f} ${n}`).join(', ')}), ${res.skippedEmpty} empty skipped`,
      `total                        ${total.toFixed(2)} s  (target ≤ 10 s: ${total <= 10 ? 'met' : 'NOT met'}); peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
      'database insert: not measured yet (server part of issue 7)',
    ].join('\n') + '\n',
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
