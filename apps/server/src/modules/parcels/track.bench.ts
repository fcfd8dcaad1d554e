/**
 * bench:track — public tracking lookups (GET /api/v1/track/{waybillNo}, random waybills) over HTTP
 * on loopback with autocannon, against a database of N parcels (default 1,000,000; 2–4 events
 * each, shaped like real ones), beside a bare Fastify route served by the same process in the
 * same run.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npx tsx apps/server/src/modules/parcels/track.bench.ts [parcels=1000000] [seconds=10] [rps=1000] [rounds=3]
 *
 * Prints: throughput at the maximum rate (32 connections) of both routes and their ratio, in
 * `rounds` alternating rounds (bare, then tracking; the machine's speed drifts between runs, so each
 * ratio compares two neighbouring runs, and the median ratio is the result), and
 * p50/p99 at a fixed 1,000 requests/s (autocannon's overallRate, latencies corrected for
 * coordinated omission). autocannon runs in a child process so it does not share the server's
 * event loop. The route's rate limiter stays on (its per-IP counting is part of every request);
 * the bench raises its limit (TRACK_RATE_LIMIT) above the rates it drives, since all requests come
 * from one loopback address.
 */
import { fork } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { dropSchema } from '../../db/connect.ts';

const waybill = (i: number) => `BT${String(i).padStart(10, '0')}`;

interface LoadResult { rps: number; p50: number; p99: number; max: number; requests: number; non2xx: number; errors: number; clientCpuUs: number; cpuUsPerRequest?: number; dbCpuUsPerRequest?: number }

/** CPU time (µs) of each process of the local PostgreSQL server; undefined when it cannot be read (PGlite runs in-process). */
function postgresCpuUs(): Map<string, number> | undefined {
  if (!process.env.DATABASE_URL || process.platform !== 'linux') return undefined;
  const tick = 1e6 / 100; // USER_HZ is 100 on Linux
  const out = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== 'postgres') continue;
      const f = stat.slice(close + 2).split(' ');
      out.set(pid, (Number(f[11]) + Number(f[12])) * tick); // utime, stime (fields 14, 15)
    } catch { /* the process ended meanwhile */ }
  }
  return out;
}
/** CPU the server's processes used between two readings (processes started meanwhile count whole). */
function postgresCpuSince(before: Map<string, number> | undefined): number | undefined {
  const after = postgresCpuUs();
  if (!before || !after) return undefined;
  let us = 0;
  for (const [pid, t] of after) us += t - (before.get(pid) ?? 0);
  return us;
}

// ---------------------------------------------------------------- the load generator (child)
if (process.env.TRACK_BENCH_CLIENT) {
  const o = JSON.parse(process.env.TRACK_BENCH_CLIENT) as { base: string; prefix: string; total: number; seconds: number; rate?: number; connections: number };
  // autocannon ships no types; the part used here is typed below.
  const acModule: string = 'autocannon';
  const autocannon = (await import(acModule)).default as (o: Record<string, unknown>) => Promise<{ requests: { average: number; total: number }; latency: { p50: number; p99: number; max: number }; non2xx: number; errors: number; timeouts: number }>;
  const cpu0 = process.cpuUsage();
  const r = await autocannon({
    url: o.base,
    connections: o.connections,
    duration: o.seconds,
    ...(o.rate ? { overallRate: o.rate } : {}),
    requests: [{ method: 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, path: `${o.prefix}${waybill(Math.floor(Math.random() * o.total) + 1)}` }) }],
  });
  const cpu = process.cpuUsage(cpu0);
  const out: LoadResult = { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, requests: r.requests.total, non2xx: r.non2xx, errors: r.errors + r.timeouts, clientCpuUs: cpu.user + cpu.system };
  process.send?.(out);
  process.exit(0);
}

// ---------------------------------------------------------------- the bench (parent)
const total = Number(process.argv[2] ?? 1_000_000);
const seconds = Number(process.argv[3] ?? 10);
const rps = Number(process.argv[4] ?? 1000);
const rounds = Math.max(1, Number(process.argv[5] ?? 3));
process.env.TRACK_RATE_LIMIT = String(1_000_000_000);
process.env.WEBHOOK_WORKER ??= 'off'; // nothing to relay here; keep the CPU for the lookups
const { startServer } = await import('../../main.ts');
const load = async () => (await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ');

/** autocannon in a child process (same tsx loader) against base+prefix+random waybill. */
/** Also: this (the server's) process's CPU time per request while the load ran. */
function drive(base: string, prefix: string, rate?: number, connections = 32): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(process.argv[1]!, [], { execArgv: process.execArgv, env: { ...process.env, TRACK_BENCH_CLIENT: JSON.stringify({ base, prefix, total, seconds, rate, connections }) }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const cpu0 = process.cpuUsage();
    const db0 = postgresCpuUs();
    child.once('message', (m) => {
      const cpu = process.cpuUsage(cpu0);
      const dbUs = postgresCpuSince(db0);
      const r = m as LoadResult;
      const n = Math.max(1, r.requests);
      resolve({ ...r, cpuUsPerRequest: (cpu.user + cpu.system) / n, ...(dbUs !== undefined ? { dbCpuUsPerRequest: dbUs / n } : {}) });
    });
    child.once('error', reject);
    child.once('exit', (code) => { if (code !== 0) reject(new Error(`load generator exited with ${code}`)); });
  });
}

// TRACK_BENCH_KEEP_SCHEMA=1 keeps the seeded schema (to look at plans with psql afterwards);
// TRACK_BENCH_SCHEMA=<name> runs again on a kept one (migrated to the current code, not seeded again).
const reuse = process.env.DATABASE_URL ? process.env.TRACK_BENCH_SCHEMA : undefined;
if (reuse !== undefined && !/^bench_track_[a-z0-9]+$/.test(reuse)) throw new Error('TRACK_BENCH_SCHEMA must name a kept bench_track_… schema');
if (reuse) process.env.TRACK_BENCH_KEEP_SCHEMA = '1';
const schema = process.env.DATABASE_URL ? reuse ?? `bench_track_${Date.now().toString(36)}` : undefined;
if (schema && process.env.TRACK_BENCH_KEEP_SCHEMA) console.log(`schema ${schema} is kept`);
const server = await startServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', seedDemo: true, ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL, databaseSchema: schema } : { dataDir: 'memory://' }) });
// The bare route is served by the server's own process, so both share one event loop and CPU.
const bare = Fastify();
bare.get('/bare/:w', async (req) => ({ waybillNo: (req.params as { w: string }).w, status: 'at_outlet', events: [] }));
await bare.listen({ port: 0, host: '127.0.0.1' });
const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;

try {
  const db = server.ctx.db;
  const outlet = await db.selectFrom('outlets').select(['id', 'county_code']).where('code', '=', 'AG522732111-01').executeTakeFirstOrThrow();
  const t0 = performance.now();
  // Set-based seeding: generate_series per 100,000 parcels. Every parcel has its manifest event and
  // handover; half were sorted, a quarter are out for delivery (in the village). The data is made
  // consistent here, so triggers are skipped while loading (session_replication_role).
  const seeded = reuse !== undefined && (await sql<{ n: number }>`SELECT count(*)::int AS n FROM manifests WHERE id = 'mft_bench'`.execute(db)).rows[0]!.n > 0;
  if (!seeded) {
    await sql`INSERT INTO manifests (id, partner_code, outlet_id, county_code, source, parcel_count, accepted, duplicates) VALUES ('mft_bench', 'ZTO', ${outlet.id}, ${outlet.county_code}, 'api', ${total}, ${total}, 0)`.execute(db);
    for (let from = 1; from <= total; from += 100_000) {
      const to = Math.min(total, from + 99_999);
      await db.transaction().execute(async (tx) => {
        await sql`SET LOCAL session_replication_role = replica`.execute(tx);
        await sql`INSERT INTO parcels (id, partner_code, waybill_no, manifest_id, outlet_id, county_code, recipient_name_enc, recipient_name_masked, phone_enc, phone_hmac, phone_masked, address_enc, address_masked, village_code, address_status, address_confidence, weight_g, pieces, service, cod_fen, status, status_at, created_at)
          SELECT 'pclb_' || g, 'ZTO', 'BT' || lpad(g::text, 10, '0'), 'mft_bench', ${outlet.id}, ${outlet.county_code},
            'v1.' || md5('n' || g), '张*娟', 'v1.' || md5('p' || g), md5(g::text), '138******78', 'v1.' || md5('a' || g), '三都县大河镇合江村', '522732111282', 'resolved', 0.99,
            500 + g % 5000, 1, CASE WHEN g % 3 = 0 THEN 'station' ELSE 'door' END, 0,
            CASE WHEN g % 4 = 0 THEN 'out_for_delivery' WHEN g % 2 = 0 THEN 'sorted' ELSE 'at_outlet' END, now() - interval '1 hour', now() - interval '3 hours'
          FROM generate_series(${from}::int, ${to}::int) g`.execute(tx);
        await sql`INSERT INTO parcel_events (event_id, parcel_id, type, event_time, recorded_at, actor_id, body_hash, payload)
          SELECT 'pclb_' || g || '.' || t.type, 'pclb_' || g, t.type, now() - t.ago, now() - t.ago + interval '2 seconds', CASE WHEN t.type = 'manifest_received' THEN 'usr_zto' ELSE 'usr_clerk' END,
            CASE WHEN t.type = 'manifest_received' THEN '-' ELSE md5(g || t.type) END,
            CASE WHEN t.type = 'manifest_received' THEN '{"manifestId": "mft_bench"}'::jsonb ELSE jsonb_build_object('outletId', ${outlet.id}::text) END
          FROM generate_series(${from}::int, ${to}::int) g
          JOIN (VALUES ('manifest_received', interval '3 hours', 1), ('handed_over', interval '2 hours', 1), ('sorted', interval '90 minutes', 2), ('out_for_delivery', interval '1 hour', 4)) AS t(type, ago, every)
            ON g % t.every = 0`.execute(tx);
        // Triggers are off while loading: build the public answers (migration 0070) as a rebuild does.
        await sql`SELECT parcel_public_track_refresh(ARRAY(SELECT 'pclb_' || g FROM generate_series(${from}::int, ${to}::int) g))`.execute(tx);
      });
    }
  }
  await sql`ANALYZE parcels`.execute(db);
  await sql`ANALYZE parcel_events`.execute(db);
  await sql`ANALYZE parcel_public_track`.execute(db);
  const events = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM parcel_events WHERE parcel_id LIKE 'pclb\\_%'`.execute(db)).rows[0]!.n;
  console.log(`engine ${server.ctx.engine}: ${seeded ? 'reused' : 'loaded'} ${total} parcels (${events} events) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

  // Warm-up (JIT, caches, connection pool), then measure; the load average is printed beside.
  const sample = await fetch(`${server.url}/api/v1/track/${waybill(4)}`);
  if (sample.status !== 200) throw new Error(`tracking answered ${sample.status}: ${await sample.text()}`);
  console.log(`sample answer: ${await sample.text()}`);
  await drive(server.url, '/api/v1/track/', undefined, 8);
  await drive(bareUrl, '/bare/', undefined, 8);
  const loadBefore = await load();
  const maxRuns: Array<{ bare: LoadResult; track: LoadResult }> = [];
  for (let r = 0; r < rounds; r++) maxRuns.push({ bare: await drive(bareUrl, '/bare/'), track: await drive(server.url, '/api/v1/track/') });
  const trackRate = await drive(server.url, '/api/v1/track/', rps, 16);
  const bareRate = await drive(bareUrl, '/bare/', rps, 16);
  const f = (r: LoadResult) => `${r.rps.toFixed(0)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms (${r.requests} requests, ${r.non2xx} non-2xx, ${r.errors} errors; CPU µs/request: server ${r.cpuUsPerRequest?.toFixed(0)}${r.dbCpuUsPerRequest !== undefined ? `, PostgreSQL ${r.dbCpuUsPerRequest.toFixed(0)}` : ''}, load generator ${(r.clientCpuUs / Math.max(1, r.requests)).toFixed(0)})`;
  console.log(`load average before ${loadBefore}, after ${await load()}`);
  const ratios = maxRuns.map((m, r) => {
    const ratio = m.track.rps / m.bare.rps;
    console.log(`round ${r + 1}, max rate, 32 connections, ${seconds} s: bare route  ${f(m.bare)}`);
    console.log(`round ${r + 1}, max rate, 32 connections, ${seconds} s: tracking    ${f(m.track)} = ${(ratio * 100).toFixed(0)}% of the bare route`);
    return ratio;
  });
  const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!;
  console.log(`tracking throughput = ${(median * 100).toFixed(0)}% of the bare route, median of ${rounds} rounds (${ratios.map((x) => `${(x * 100).toFixed(0)}%`).join(', ')}; target ≥ 40%)`);
  console.log(`fixed ${rps} req/s, 16 connections, ${seconds} s: tracking ${f(trackRate)} (target p99 ≤ 20 ms)`);
  console.log(`fixed ${rps} req/s, 16 connections, ${seconds} s: bare     ${f(bareRate)}`);
  if (maxRuns.some((m) => m.track.non2xx > 0) || trackRate.non2xx > 0) throw new Error('tracking answered non-2xx (rate limited or not found) during the bench');
} finally {
  await bare.close();
  await server.close();
  if (schema && process.env.DATABASE_URL && !process.env.TRACK_BENCH_KEEP_SCHEMA) {
    await dropSchema(process.env.DATABASE_URL, schema);
  }
}
