/**
 * bench:ingest — parcels through the partner API (HTTP, JSON manifests of 1,000, with address
 * resolution, encryption, events and outbox), beside a plain multi-row INSERT of the same rows
 * into a table shaped like `parcels` (no indexes but the primary key), in the same run.
 *
 *   npx tsx apps/server/src/modules/parcels/ingest.bench.ts [parcels=100000] [batch=1000] [concurrency=4]
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx apps/server/src/modules/parcels/ingest.bench.ts
 *
 * Without DATABASE_URL it runs on in-memory PGlite (seeded with the demo network first).
 */
import { sql } from 'kysely';
import { startServer } from '../../main.ts';

const total = Number(process.argv[2] ?? 100_000);
const batch = Number(process.argv[3] ?? 1000);
const concurrency = Number(process.argv[4] ?? 4);
const ADDRESSES = ['贵州省黔南州三都县大河镇合江村二组', '三都县大河镇巴佑村3组', '三都大河尧吕村', '三都县大河镇小河村五组12号', '都匀市匀东镇鸡贾村3组45号', '坝固镇鸡贾村'];
const schema = process.env.DATABASE_URL ? `bench_ingest_${Date.now().toString(36)}` : undefined;

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
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const r = await fetch(`${server.url}/partner/v1/manifests`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}`, 'idempotency-key': `bench-${stamp}-${next}` }, body });
      if (r.status !== 201) throw new Error(`manifest: ${r.status} ${await r.text()}`);
      accepted += ((await r.json()) as { accepted: number }).accepted;
    }
  }));
  const apiS = (performance.now() - t0) / 1000;

  // The same rows with a plain multi-row INSERT (no resolution, no encryption, no events/outbox).
  const db = server.ctx.db;
  await sql`CREATE TABLE bench_raw (LIKE parcels INCLUDING DEFAULTS)`.execute(db);
  await sql`ALTER TABLE bench_raw ADD PRIMARY KEY (id)`.execute(db);
  const rows = await db.selectFrom('parcels').selectAll().where('waybill_no', 'like', `ZT${stamp}%`).execute();
  const t1 = performance.now();
  for (let i = 0; i < rows.length; i += batch) {
    const chunk = rows.slice(i, i + batch).map((r) => ({ ...r, address_candidates: JSON.stringify(r.address_candidates) }));
    await (db as unknown as import('kysely').Kysely<{ bench_raw: typeof chunk[number] }>).insertInto('bench_raw').values(chunk).execute();
  }
  const rawS = (performance.now() - t1) / 1000;
  await sql`DROP TABLE bench_raw`.execute(db);

  const apiRate = accepted / apiS;
  const rawRate = rows.length / rawS;
  console.log(`engine ${server.ctx.engine}; ${accepted} parcels accepted in ${bodies.length} manifests of ${batch}, ${concurrency} concurrent clients`);
  console.log(`partner API (HTTP, resolution, encryption, events, outbox): ${apiS.toFixed(1)} s = ${apiRate.toFixed(0)} parcels/s`);
  console.log(`plain multi-row INSERT of the same rows:                   ${rawS.toFixed(1)} s = ${rawRate.toFixed(0)} rows/s`);
  console.log(`ratio: ${((apiRate / rawRate) * 100).toFixed(1)}% (target ≥ 25%; target on PostgreSQL ≥ 5,000 parcels/s)`);
} finally {
  await server.close();
  if (schema && process.env.DATABASE_URL) {
    const pg = await import('pg');
    const c = new pg.default.Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  }
}
