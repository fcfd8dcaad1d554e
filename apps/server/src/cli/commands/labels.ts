import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { DomainError } from '@cuntong/domain/errors.ts';
import { HEADER_SYNONYMS, parseOrders, type OrderField, type ParsedOrder, type RejectedRow } from '@cuntong/domain/orders/orders.ts';
import { regionIndex } from '@cuntong/domain/orders/regions.ts';
import { allocate, DEFAULT_RANGE } from '@cuntong/domain/waybill/allocator.ts';
import { DEMO_SENDER, demoOrderRows } from '@cuntong/labels/demo.ts';
import { labelFromOrder, regionText } from '@cuntong/labels/from-order.ts';
import type { LabelData, LabelParty } from '@cuntong/labels/label.ts';
import { renderLabelsPdf } from '@cuntong/labels/labels-pdf.ts';
import { readOrders } from '@cuntong/labels/io/orders-file.ts';
import { renderZpl } from '@cuntong/labels/zpl.ts';
import { renderManifestPdf } from '@cuntong/labels/manifest.ts';

interface LabelsOptions {
  orders?: string;
  demo?: string;
  out: string;
  format: string;
  perSheet: string;
  sender?: string;
  date?: string;
  firstSerial?: string;
  offline?: boolean;
  defaultWeight?: string;
  rejects?: string;
  reprint?: boolean;
  map: string[];
  manifest?: string;
  route: string;
  vehicle?: string;
}

/** --map recipientName=客户 (repeatable): field names as in HEADER_SYNONYMS. */
function parseMapping(specs: string[]): Partial<Record<OrderField, string>> {
  const out: Partial<Record<OrderField, string>> = {};
  for (const spec of specs) {
    const [field = '', header = ''] = spec.split('=');
    if (!(field in HEADER_SYNONYMS) || header.trim() === '') {
      throw new Error(`--map expects FIELD=表头, FIELD one of ${Object.keys(HEADER_SYNONYMS).join(', ')}; got ${spec}`);
    }
    out[field as OrderField] = header.trim();
  }
  return out;
}

/** "名称,电话,地址" (or | separated); the address is split into region and detail. */
export function parseSender(spec: string): LabelParty {
  const [name = '', phone = '', ...rest] = spec.split(/[|,，]/).map((s) => s.trim());
  const address = rest.join('');
  if (!name || !phone || !address) throw new Error('--sender expects "名称,电话,地址", e.g. "惠水县好花红米粉合作社,0854-6221234,贵州省黔南州惠水县好花红镇好花红村"');
  const r = regionIndex().resolve(address);
  return r.ok ? { name, phone, organization: true, region: regionText(r.region), address: r.region.detail } : { name, phone, organization: true, address };
}

/** Today in China (UTC+8): the CLI is an edge, it may read the clock. */
function todayCn(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

function progress(total: number): (done: number) => void {
  const tty = process.stderr.isTTY;
  let last = -1;
  return (done) => {
    const pct = total === 0 ? 100 : Math.floor((done * 100) / total);
    if (pct === last || (!tty && pct % 10 !== 0 && done !== total)) return;
    last = pct;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    const line = `[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${String(pct).padStart(3)}%  ${done}/${total}`;
    process.stderr.write(tty ? `\r${line}${done === total ? '\n' : ''}` : `${line}\n`);
  };
}

function reportRejected(rejected: RejectedRow[], file?: string): void {
  if (rejected.length === 0) return;
  const rows = new Set(rejected.map((r) => r.row)).size;
  process.stderr.write(`${rows} 行未通过校验（${rejected.length} 处问题）：\n`);
  for (const r of rejected.slice(0, 20)) process.stderr.write(`  第 ${r.row} 行 ${r.field}: ${r.message}\n`);
  if (rejected.length > 20) process.stderr.write(`  …另有 ${rejected.length - 20} 处${file ? '' : '（用 --rejects FILE.csv 导出全部）'}\n`);
  if (file) {
    const esc = (s: string) => `"${s.replace(/"/g, '""')}"`;
    writeFileSync(file, '\ufeff行,字段,问题\n' + rejected.map((r) => `${r.row},${r.field},${esc(r.message)}`).join('\n') + '\n');
    process.stderr.write(`  全部问题已写入 ${file}\n`);
  }
}

export function register(program: Command): void {
  program
    .command('labels')
    .description('print waybill labels (PDF 100×150 mm, A4 sheets or ZPL) from an order export, or from demo orders')
    .option('--orders <file>', 'order export (.xlsx or .csv, UTF-8 or GBK), e.g. a Taobao/Pinduoduo/Youzan export')
    .option('--demo <n>', 'make N deterministic demo orders (products from Qiannan) instead of reading a file')
    .requiredOption('--out <file>', 'output file (.pdf or .zpl)')
    .option('--format <format>', 'pdf (100×150 mm thermal, one label a page) | a4 (sheets) | zpl (Zebra)', 'pdf')
    .option('--per-sheet <n>', 'labels per A4 sheet: 4 or 6', '4')
    .option('--sender <spec>', 'sender "名称,电话,地址" (default: the demo cooperative in 惠水县)')
    .option('--date <yyyy-mm-dd>', 'shipping date printed on the labels (default: today, China time)')
    .option('--first-serial <n>', `with --demo or --offline: first serial of the default waybill range ${DEFAULT_RANGE.scheme.kind === 'domestic' ? DEFAULT_RANGE.scheme.prefix : ''}`)
    .option('--offline', 'number an order file without the database (numbers are NOT reserved: for proofs only)')
    .option('--default-weight <kg>', 'weight for rows without one')
    .option('--rejects <file>', 'write all rejected rows to this CSV')
    .option('--reprint', 'mark every label 重印 REPRINT')
    .option('--manifest <file>', 'also write a carrier/bus manifest PDF (交接清单) of the same parcels')
    .option('--route <text>', 'route printed on the manifest', '惠水—都匀 班车')
    .option('--vehicle <plate>', 'vehicle plate printed on the manifest')
    .option('--map <field=header>', 'column mapping when auto-detection fails, e.g. --map recipientName=客户 (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .action(async (opts: LabelsOptions) => {
      if (!opts.orders === !opts.demo) throw new Error('give exactly one of --orders FILE or --demo N');
      if (!['pdf', 'a4', 'zpl'].includes(opts.format)) throw new Error(`--format must be pdf, a4 or zpl, not ${opts.format}`);
      const perSheet = Number(opts.perSheet);
      if (perSheet !== 4 && perSheet !== 6) throw new Error('--per-sheet must be 4 or 6');
      const date = opts.date ?? todayCn();
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error('--date must be YYYY-MM-DD');
      const sender = opts.sender ? parseSender(opts.sender) : DEMO_SENDER;
      const parseOpts = {
        ...(opts.defaultWeight ? { defaultWeightG: Math.round(Number(opts.defaultWeight) * 1000) } : {}),
        ...(opts.map.length > 0 ? { explicitMapping: parseMapping(opts.map) } : {}),
      };
      const t0 = performance.now();

      let orders: ParsedOrder[];
      try {
        if (opts.demo) {
          const n = Number(opts.demo);
          if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new Error('--demo expects a whole number 1–1,000,000');
          const rows = demoOrderRows(n);
          orders = parseOrders({ rows: rows.map((cells, i) => ({ row: i + 1, cells })) }, parseOpts).orders;
        } else {
          const file = opts.orders ?? '';
          const res = await readOrders(readFileSync(file), file, parseOpts);
          reportRejected(res.rejected, opts.rejects);
          orders = res.orders;
        }
      } catch (e) {
        if (e instanceof DomainError) {
          process.stderr.write(`cuntong labels: ${e.message}\n`);
          process.exit(e.kind === 'too_large' ? 4 : 3);
        }
        throw e;
      }
      if (orders.length === 0) {
        process.stderr.write('cuntong labels: no valid orders, nothing printed\n');
        process.exit(3);
      }

      let alloc: { numbers: string[]; range: { next: number } };
      if (opts.demo || opts.offline) {
        // Demo orders and proofs: numbers from the pure allocator, not reserved anywhere.
        const range = opts.firstSerial ? { ...DEFAULT_RANGE, next: Number(opts.firstSerial) } : DEFAULT_RANGE;
        alloc = allocate(range, orders.length);
        process.stderr.write(`waybill numbers ${alloc.numbers[0]} … ${alloc.numbers.at(-1)} from range ${range.id} (NOT reserved: ${opts.demo ? 'demo orders' : '--offline'})\n`);
      } else {
        // Real orders: the numbers are issued from the platform's ranges and recorded in its ledger,
        // so no number is ever printed twice (DATA_DIR's PGlite, or DATABASE_URL).
        const numbers = await reserveNumbers(orders.length);
        alloc = { numbers, range: { next: Number.NaN } };
        process.stderr.write(`waybill numbers ${numbers[0]} … ${numbers.at(-1)} issued and recorded in the database\n`);
      }
      const regions = regionIndex();
      function* labels(): Generator<LabelData> {
        for (let i = 0; i < orders.length; i++) {
          const o = orders[i];
          if (o) yield labelFromOrder(o, { waybillNo: alloc.numbers[i] ?? '', sender, date, regions, ...(opts.reprint ? { reprint: true } : {}) });
        }
      }
      const onProgress = progress(orders.length);
      let source: Iterable<Uint8Array | string>;
      if (opts.format === 'zpl') {
        source = (function* () {
          let done = 0;
          for (const z of renderZpl(labels())) {
            yield z;
            onProgress(++done);
          }
        })();
      } else {
        source = renderLabelsPdf(labels(), { format: opts.format === 'a4' ? 'a4' : 'thermal', perSheet, onProgress, info: { creationDate: new Date().toISOString() } });
      }
      await pipeline(Readable.from(source), createWriteStream(opts.out));
      if (opts.manifest) {
        const parcels = orders.map((o, i) => ({
          waybillNo: alloc.numbers[i] ?? '',
          recipientName: o.recipientName,
          recipientPhone: o.recipientPhone,
          destination: regions.displayName(o.region.county.code),
          ...(o.product ? { product: o.product } : {}),
          quantity: o.quantity,
          ...(o.weightG !== undefined ? { weightG: o.weightG } : {}),
        }));
        const header = { route: opts.route, origin: sender.name, date, ...(opts.vehicle ? { vehicle: opts.vehicle } : {}) };
        await pipeline(Readable.from(renderManifestPdf(parcels, header)), createWriteStream(opts.manifest));
        process.stderr.write(`manifest: ${opts.manifest}\n`);
      }
      const seconds = (performance.now() - t0) / 1000;
      process.stdout.write(JSON.stringify({ labels: orders.length, format: opts.format, out: opts.out, seconds: Number(seconds.toFixed(2)), first: alloc.numbers[0], last: alloc.numbers.at(-1), nextSerial: alloc.range.next }) + '\n');
    });
}

/** Issues `count` numbers from the database's waybill ranges (the same path as the console and API). */
async function reserveNumbers(count: number): Promise<string[]> {
  const { loadConfig } = await import('../../config.ts');
  const { createContext } = await import('../../main.ts');
  const { DataDirLockedError } = await import('../../db/connect.ts');
  const { OutboundService } = await import('../../modules/outbound/outbound.service.ts');
  const { appendAudit } = await import('../../modules/audit/audit.repository.ts');
  const config = loadConfig(process.env, { logLevel: 'silent' });
  let c: Awaited<ReturnType<typeof createContext>>;
  try {
    c = await createContext(config);
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      process.stderr.write(`cuntong labels: ${err.message}\nThe waybill numbers must come from the platform's database: stop the server, point DATABASE_URL at the shared PostgreSQL, or issue them through the API (POST /api/v1/labels). --offline numbers without reserving (proofs only).\n`);
      process.exit(5);
    }
    throw err;
  }
  try {
    const svc = new OutboundService(c.ctx.db, { region: config.region, clock: c.ctx.clock, pii: c.ctx.pii, uploadLimitBytes: config.uploadLimitBytes });
    const at = c.ctx.clock();
    return await c.ctx.db.transaction().execute(async (tx) => {
      const nos = await svc.allocate(tx, count, at);
      await appendAudit(tx, { id: 'cli', username: 'cli' }, { action: 'waybill.issue', objectType: 'waybill', detail: { count, first: nos[0], last: nos.at(-1), via: 'cli labels' } }, at);
      return nos;
    });
  } finally {
    await c.close();
  }
}
