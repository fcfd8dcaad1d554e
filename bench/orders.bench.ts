// npm run bench:orders [-- --n 10000]
// Generates a realistic 10,000-row Excel order export (Taobao-style headers, ~2 % bad rows, some
// empty rows) into a temp dir, then reads and validates it: exceljs load, column detection, phone /
// weight checks and address resolution to province/city/county. Target ≤ 10 s.
// Then the same file goes through the server's import (OutboundService) into a fresh database.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parseOrders } from '@cuntong/domain/orders/orders.ts';
import { demoOrderRows } from '@cuntong/labels/demo.ts';
import { readOrderFile } from '@cuntong/labels/io/orders-file.ts';
import { dropSchema } from '../apps/server/src/db/connect.ts';

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
    ].join('\n') + '\n',
  );

  // Database part (server side of issue 7): the same file through OutboundService.importOrders on a
  // fresh database (PGlite in memory, or DATABASE_URL): read, validate, price, issue numbers, encrypt,
  // insert in one transaction. Nothing is kept (the PostgreSQL schema is dropped afterwards).
  const { loadConfig } = await import('../apps/server/src/config.ts');
  const { connect } = await import('../apps/server/src/db/connect.ts');
  const { bootstrap } = await import('../apps/server/src/bootstrap.ts');
  const { piiCipherFromEnv } = await import('../apps/server/src/adapters/crypto.ts');
  const { OutboundService } = await import('../apps/server/src/modules/outbound/outbound.service.ts');
  const schema = `bench_orders_${process.pid}`;
  const config = loadConfig(process.env, { seedDemo: false, logLevel: 'silent', ...(process.env.DATABASE_URL ? { databaseSchema: schema } : { dataDir: 'memory://' }) });
  const database = await connect({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, schema: config.databaseSchema });
  try {
    await bootstrap(database.db, config, () => new Date());
    const svc = new OutboundService(database.db, { region: config.region, clock: () => new Date(), pii: piiCipherFromEnv(process.env, () => {}), uploadLimitBytes: 50 * 1048576 });
    const admin = { id: 'usr_bench', username: 'bench', displayName: 'bench', role: 'admin' as const, via: 'session' as const };
    const shipper = await svc.createShipper(admin, { code: 'BENCH-HS', name: '惠水米粉厂', kind: 'company', pickupDivisionCode: '522731001', pickupAddress: '涟江街道工业园', contacts: [{ name: '韦', phone: '13908541234' }], products: ['米粉'], pricing: 'public' });
    const td = performance.now();
    const cpu0 = process.cpuUsage();
    const rep = await svc.importOrders(admin, { shipperId: shipper.id, file: buf, filename: 'orders.xlsx', mode: 'valid' });
    const cpu = process.cpuUsage(cpu0);
    const dbTotal = (performance.now() - td) / 1000;
    process.stdout.write(
      [
        `database import (${database.engine}, mode=valid) ${dbTotal.toFixed(2)} s  ${rep.imported} orders priced, numbered (${rep.firstWaybillNo} … ${rep.lastWaybillNo}) and inserted, ${rep.rejectedRows} rows rejected`,
        `  read ${(rep.timings.readMs / 1000).toFixed(2)} s, validate + price ${(rep.timings.validateMs / 1000).toFixed(2)} s, numbers + encrypt + insert ${(rep.timings.writeMs / 1000).toFixed(2)} s; process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s (target ≤ 10 s: ${dbTotal <= 10 ? 'met' : 'NOT met'})`,
      ].join('\n') + '\n',
    );
  } finally {
    await database.close();
    if (process.env.DATABASE_URL) {
      await dropSchema(process.env.DATABASE_URL, schema);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
