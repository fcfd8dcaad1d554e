/**
 * bench:ingest — parcels through the partner API (HTTP, JSON manifests of 1,000, with address
 * resolution, encryption, events and outbox), beside raw inserts of the same rows in the same run:
 * a plain multi-row INSERT (one parametrised VALUES statement per 1,000 rows), an INSERT … SELECT
 * FROM unnest(one array per column), and on PostgreSQL COPY FROM STDIN. The raw rows go into a
 * table shaped like `parcels` with only its primary key (no other indexes, no foreign keys, no
 * events or outbox): the cheapest honest baseline. Parameters are prepared before the clock starts.
 *
 *   npx tsx apps/server/src/modules/parcels/ingest.bench.ts [parcels=100000] [batch=1000] [concurrency=4]
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx apps/server/src/modules/parcels/ingest.bench.ts
 *
 * Without DATABASE_URL it runs on in-memory PGlite (seeded with the demo network first).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CompiledQuery, sql } from 'kysely';
import { startServer } from '../../main.ts';
import { dropSchema } from '../../db/connect.ts';

const total = Number(process.argv[2] ?? 100_000);
const batch = Number(process.argv[3] ?? 1000);
const concurrency = Number(process.argv[4] ?? 4);
const ADDRESSES = ['贵州省黔南州三都县大河镇合江村二组', '三都县大河镇巴佑村3组', '三都大河尧吕村', '三都县大河镇小河村五组12号', '都匀市匀东镇鸡贾村3组45号', '坝固镇鸡贾村'];
const schema = process.env.DATABASE_URL ? `bench_ingest_${Date.now().toString(36)}` : undefined;
const load = async () => (await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ');

const server = await startServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', seedDemo: true, ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL, databaseSchema: schema } : { dataDir: 'memory://' }) });
try {
  const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'zto', password: 'demo1234' }) });
  const session = ((await login.json()) as { token: string }).token;
  const keyRes = await fetch(`${server.url}/partner/v1/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${session}` }, body: JSON.stringify({ name: 'bench' }) });
  const apiKey = ((await keyRes.json()) as { key: string }).key;
  const stamp = Date.now().toString(36).toUpperCase();
  const parcel = (i: number) => ({ waybillNo: `ZT${stamp}${String(i).padStart(8, '0')}`, recipientName: i % 2 ? '张小娟' : '欧阳娜娜', recipientPhone: `13${String(100_000_000 + i).slice(-9)}`, address: ADDRESSES[i % ADDRESSES.length]!, weightKg: 0.5 + (i % 10) / 10, service: i % 3 ? 'door' : 'station' });
  const bodies: string[] = [];
  for (let i = 0; i < total; i += batch) bodies.push(JSON.stringify({ outletCode: 'AG522732111-01', parcels: Array.from({ length: Math.min(batch, total - i) }, (_, k) => parcel(i + k)) }));

  let next = 0;
  let accepted = 0;
  const load0 = await load();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < bodies.length) {
      const n = next++;
      const r = await fetch(`${server.url}/partner/v1/manifests`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, 'idempotency-key': `bench-${stamp}-${n}` }, body: bodies[n]! });
      if (r.status !== 201) throw new Error(`manifest ${n}: ${r.status} ${await r.text()}`);
      // Read the answer before adding: `accepted += await …` would add to a stale total.
      const got = ((await r.json()) as { accepted: number }).accepted;
      accepted += got;
    }
  }));
  const apiS = (performance.now() - t0) / 1000;

  const db = server.ctx.db;
  const stored = await sql<{ parcels: number; events: number; outbox: number }>`SELECT (SELECT count(*) FROM parcels WHERE waybill_no LIKE ${`ZT${stamp}%`})::int AS parcels,
      (SELECT count(*) FROM parcel_events e JOIN parcels p ON p.id = e.parcel_id WHERE p.waybill_no LIKE ${`ZT${stamp}%`})::int AS events,
      (SELECT count(*) FROM outbox o JOIN parcels p ON p.id = o.parcel_id WHERE p.waybill_no LIKE ${`ZT${stamp}%`})::int AS outbox`.execute(db);
  const s = stored.rows[0]!;
  if (accepted !== total || s.parcels !== total || s.events !== total || s.outbox !== total) throw new Error(`expected ${total} of each: accepted ${accepted}, stored parcels ${s.parcels}, events ${s.events}, outbox ${s.outbox}`);

  // ---- raw baselines: the same rows, prepared as parameters before each clock starts. The webhook
  // and station workers (which ran during the API phase, relaying its outbox) are stopped first.
  await server.webhookWorker?.stop();
  await server.stationsWorker?.stop();
  const cols = (await sql<{ column_name: string; data_type: string }>`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'parcels' AND table_schema = current_schema() ORDER BY ordinal_position`.execute(db)).rows;
  const names = cols.map((c) => c.column_name);
  const rows = (await sql<Record<string, unknown>>`SELECT * FROM parcels WHERE waybill_no LIKE ${`ZT${stamp}%`} ORDER BY created_at, id`.execute(db)).rows;
  const cell = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : typeof v === 'object' ? JSON.stringify(v) : v);
  const values = rows.map((r) => names.map((n) => cell(r[n])));
  const raw = async (text: string, params: unknown[] = []) => db.executeQuery(CompiledQuery.raw(text, params));
  const fresh = async (t: string) => {
    await raw(`DROP TABLE IF EXISTS ${t}`);
    await raw(`CREATE TABLE ${t} (LIKE parcels INCLUDING DEFAULTS)`);
    await raw(`ALTER TABLE ${t} ADD PRIMARY KEY (id)`);
  };
  const timed = async (f: () => Promise<void>) => { const t = performance.now(); await f(); return rows.length / ((performance.now() - t) / 1000); };
  const chunksOf = <T>(xs: T[]) => Array.from({ length: Math.ceil(xs.length / batch) }, (_, i) => xs.slice(i * batch, (i + 1) * batch));

  // Plain multi-row INSERT: INSERT … VALUES ($1,…,$29), (…) with 1,000 rows per statement.
  await fresh('bench_raw_values');
  const valueStatements = chunksOf(values).map((c) => ({
    text: `INSERT INTO bench_raw_values (${names.join(', ')}) VALUES ${c.map((_, i) => `(${names.map((_, k) => `$${i * names.length + k + 1}`).join(', ')})`).join(', ')}`,
    params: c.flat(),
  }));
  const valuesRate = await timed(async () => { for (const q of valueStatements) await raw(q.text, q.params); });

  // INSERT … SELECT FROM unnest($1::text[], $2::int4[], …): one array parameter per column.
  await fresh('bench_raw_unnest');
  const types = cols.map((c) => (c.data_type === 'timestamp with time zone' ? 'timestamptz' : c.data_type === 'double precision' ? 'float8' : c.data_type === 'integer' ? 'int4' : c.data_type));
  const unnestText = `INSERT INTO bench_raw_unnest (${names.join(', ')}) SELECT * FROM unnest(${types.map((t, k) => `$${k + 1}::${t}[]`).join(', ')})`;
  const unnestParams = chunksOf(values).map((c) => names.map((_, k) => c.map((r) => r[k])));
  const unnestRate = await timed(async () => { for (const p of unnestParams) await raw(unnestText, p); });

  // COPY FROM STDIN (PostgreSQL; PGlite's COPY needs its own instance's blob API).
  let copyRate: number | null = null;
  if (process.env.DATABASE_URL) {
    const pg = (await import('pg')).default;
    // pg-copy-streams ships no types: its `from` makes a Submittable that is also a Writable.
    const copyModule: string = 'pg-copy-streams';
    const copyFrom = ((await import(copyModule)) as { from: (text: string) => import('pg').Submittable & NodeJS.WritableStream }).from;
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL, options: `-c search_path=${schema},public` });
    await client.connect();
    try {
      await fresh('bench_raw_copy');
      const esc = (v: unknown) => (v === null ? '\\N' : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r'));
      const text = values.map((r) => r.map(esc).join('\t')).join('\n') + '\n';
      copyRate = await timed(async () => { await pipeline(Readable.from([text]), client.query(copyFrom(`COPY bench_raw_copy (${names.join(', ')}) FROM STDIN`)) as unknown as NodeJS.WritableStream); });
    } finally {
      await client.end();
    }
  }
  for (const t of ['bench_raw_values', 'bench_raw_unnest', 'bench_raw_copy']) await raw(`DROP TABLE IF EXISTS ${t}`);

  const apiRate = accepted / apiS;
  const pctOf = (r: number) => `${((apiRate / r) * 100).toFixed(1)}%`;
  console.log(`engine ${server.ctx.engine}; ${accepted} parcels accepted in ${bodies.length} manifests of ${batch}, ${concurrency} concurrent clients; stored ${s.parcels} parcels, ${s.events} events, ${s.outbox} outbox rows; load average before ${load0}, after ${await load()}`);
  console.log(`partner API (HTTP, resolution, encryption, events, outbox): ${apiS.toFixed(1)} s = ${apiRate.toFixed(0)} parcels/s (target on PostgreSQL ≥ 5,000)`);
  console.log(`raw multi-row INSERT … VALUES, ${batch} rows per statement:  ${valuesRate.toFixed(0)} rows/s; API = ${pctOf(valuesRate)} of it (target ≥ 25%)`);
  console.log(`raw INSERT … SELECT FROM unnest(arrays), ${batch} per statement: ${unnestRate.toFixed(0)} rows/s; API = ${pctOf(unnestRate)} of it`);
  if (copyRate !== null) console.log(`raw COPY FROM STDIN, all rows:                            ${copyRate.toFixed(0)} rows/s; API = ${pctOf(copyRate)} of it`);
} finally {
  await server.close();
  if (schema && process.env.DATABASE_URL) {
    await dropSchema(process.env.DATABASE_URL, schema);
  }
}
