/**
 * bench:track — public tracking lookups over HTTP on loopback against a database of N parcels
 * (default 1,000,000, each with 2 events), beside a bare Fastify route in the same run.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx apps/server/src/modules/parcels/track.bench.ts [parcels=1000000] [seconds=10] [rps=1000]
 *
 * Prints: closed-loop throughput (32 connections) of both routes, and p50/p99 at a fixed arrival
 * rate (open model: requests start on schedule, latency measured from the scheduled start, so a
 * stall is not hidden). The load generator runs in the same process as the server (one machine).
 */
import Fastify from 'fastify';
import { sql } from 'kysely';
import { startServer } from '../../main.ts';

const total = Number(process.argv[2] ?? 1_000_000);
const seconds = Number(process.argv[3] ?? 10);
const rps = Number(process.argv[4] ?? 1000);
process.env.TRACK_RATE_LIMIT = String(1_000_000_000);
const schema = process.env.DATABASE_URL ? `bench_track_${Date.now().toString(36)}` : undefined;
const server = await startServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', seedDemo: true, ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL, databaseSchema: schema } : { dataDir: 'memory://' }) });
const bare = Fastify();
bare.get('/bare/:w', async (req) => ({ waybillNo: (req.params as { w: string }).w, status: 'at_outlet', events: [] }));
await bare.listen({ port: 0, host: '127.0.0.1' });
const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;

function pct(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}
const waybill = (i: number) => `BT${String(i).padStart(10, '0')}`;

async function closedLoop(url: (i: number) => string, conns = 32): Promise<number> {
  let n = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(Array.from({ length: conns }, async () => {
    while (performance.now() < end) {
      const r = await fetch(url(Math.floor(Math.random() * total) + 1));
      await r.arrayBuffer();
      if (r.status !== 200) throw new Error(`status ${r.status}`);
      n++;
    }
  }));
  return n / seconds;
}

async function openModel(url: (i: number) => string): Promise<{ p50: number; p99: number; max: number; errors: number }> {
  const lat: number[] = [];
  let errors = 0;
  const start = performance.now();
  const count = rps * seconds;
  const inflight: Promise<void>[] = [];
  for (let k = 0; k < count; k++) {
    const due = start + (k * 1000) / rps;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(fetch(url(Math.floor(Math.random() * total) + 1)).then(async (r) => {
      await r.arrayBuffer();
      if (r.status !== 200) errors++;
      lat.push(performance.now() - due);
    }, () => { errors++; }));
  }
  await Promise.all(inflight);
  return { p50: pct(lat, 50), p99: pct(lat, 99), max: Math.max(...lat), errors };
}

try {
  const db = server.ctx.db;
  const outlet = await db.selectFrom('outlets').select(['id', 'county_code']).where('code', '=', 'AG522732111-01').executeTakeFirstOrThrow();
  const t0 = performance.now();
  await sql`INSERT INTO manifests (id, partner_code, outlet_id, county_code, source, parcel_count, accepted, duplicates) VALUES ('mft_bench', 'ZTO', ${outlet.id}, ${outlet.county_code}, 'api', ${total}, ${total}, 0)`.execute(db);
  for (let from = 1; from <= total; from += 100_000) {
    const to = Math.min(total, from + 99_999);
    await sql`INSERT INTO parcels (id, partner_code, waybill_no, manifest_id, outlet_id, county_code, recipient_name_enc, recipient_name_masked, phone_enc, phone_hmac, phone_masked, address_enc, address_masked, village_code, address_status, address_confidence, weight_g, pieces, service, cod_fen, status, status_at)
      SELECT 'pclb_' || g, 'ZTO', 'BT' || lpad(g::text, 10, '0'), 'mft_bench', ${outlet.id}, ${outlet.county_code}, 'v1.x', '张*娟', 'v1.x', md5(g::text), '138******78', 'v1.x', '三都县大河镇合江村', '522732111282', 'resolved', 0.99, 1000, 1, 'door', 0, 'at_outlet', now()
      FROM generate_series(${from}::int, ${to}::int) g`.execute(db);
    await sql`INSERT INTO parcel_events (event_id, parcel_id, type, event_time, recorded_at, body_hash, payload)
      SELECT 'pclb_' || g || '.' || t.type, 'pclb_' || g, t.type, now() - t.ago, now(), '-', '{}'::jsonb
      FROM generate_series(${from}::int, ${to}::int) g, (VALUES ('manifest_received', interval '2 hours'), ('handed_over', interval '1 hour')) AS t(type, ago)`.execute(db);
  }
  await sql`ANALYZE parcels`.execute(db);
  await sql`ANALYZE parcel_events`.execute(db);
  console.log(`engine ${server.ctx.engine}: loaded ${total} parcels (${2 * total} events) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

  const trackUrl = (i: number) => `${server.url}/api/v1/track/${waybill(i)}`;
  const bareRoute = (i: number) => `${bareUrl}/bare/${waybill(i)}`;
  await closedLoop(trackUrl, 8); // warm-up
  const bareRps = await closedLoop(bareRoute);
  const trackRps = await closedLoop(trackUrl);
  console.log(`closed loop, 32 connections, ${seconds} s: bare route ${bareRps.toFixed(0)} req/s; tracking ${trackRps.toFixed(0)} req/s = ${((trackRps / bareRps) * 100).toFixed(0)}% (target ≥ 40%)`);
  const o = await openModel(trackUrl);
  console.log(`open model ${rps} req/s for ${seconds} s: p50 ${o.p50.toFixed(1)} ms, p99 ${o.p99.toFixed(1)} ms, max ${o.max.toFixed(0)} ms, errors ${o.errors} (target p99 ≤ 20 ms)`);
} finally {
  await bare.close();
  await server.close();
  if (schema && process.env.DATABASE_URL) {
    const pg = await import('pg');
    const c = new pg.default.Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  }
}
