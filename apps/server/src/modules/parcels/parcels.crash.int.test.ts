import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL, TEST_ENGINE } from '../../../test/harness.ts';
import { repoPath } from '../divisions/reference.ts';

/**
 * Crash test (PostgreSQL only: durability is claimed for PostgreSQL, not for embedded PGlite): the
 * server is killed with SIGKILL while manifests stream in; after a restart every acknowledged
 * manifest is there whole, the one in flight is there whole or not at all, and its retry with the
 * same Idempotency-Key completes it exactly once.
 */
const schema = `cuntong_crash_${process.pid}_${Date.now().toString(36)}`;
const port = 20_000 + (process.pid % 20_000);
const base = `http://127.0.0.1:${port}`;
let child: ChildProcess | undefined;

async function start(): Promise<ChildProcess> {
  const c = spawn(process.execPath, [repoPath('bin/start.mjs')], {
    env: { ...process.env, DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, PORT: String(port), HOST: '127.0.0.1', SERVE_WEB: '0', LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  });
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) return c;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  c.kill('SIGKILL');
  throw new Error('server did not start');
}

afterAll(async () => {
  child?.kill('SIGKILL');
  if (TEST_ENGINE !== 'postgres') return;
  const pg = await import('pg');
  const c = new pg.default.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
});

async function count(prefix: string): Promise<number> {
  const pg = await import('pg');
  const c = new pg.default.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  const r = await c.query(`SELECT count(*)::int AS n, count(DISTINCT e.parcel_id)::int AS ev FROM ${schema}.parcels p LEFT JOIN ${schema}.parcel_events e ON e.parcel_id = p.id WHERE p.waybill_no LIKE $1`, [`${prefix}%`]);
  await c.end();
  const row = r.rows[0] as { n: number; ev: number };
  expect(row.ev).toBe(row.n); // every parcel has its manifest event: parcels and events commit together
  return row.n;
}

describe.runIf(TEST_ENGINE === 'postgres')('SIGKILL during ingestion (postgres)', () => {
  it('keeps every acknowledged manifest whole and no unacknowledged one in part', async () => {
    child = await start();
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'zto', password: 'demo1234' }) });
    const token = ((await login.json()) as { token: string }).token;
    const stamp = Date.now().toString(36).toUpperCase();
    const body = (b: number) => JSON.stringify({ outletCode: 'AG522732111-01', parcels: Array.from({ length: 1000 }, (_, i) => ({ waybillNo: `ZK${stamp}B${b}N${String(i).padStart(4, '0')}`, recipientName: '张小娟', recipientPhone: '13812345678', address: '三都县大河镇合江村', weightKg: 1, service: 'door' })) });
    const send = (b: number) => fetch(`${base}/partner/v1/manifests`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': `crash-${stamp}-${b}` }, body: body(b) });

    const acked: number[] = [];
    const unknown: number[] = [];
    let b = 0;
    // A few acknowledged batches, then kill while the next ones are in flight.
    for (; b < 3; b++) {
      const r = await send(b);
      expect(r.status).toBe(201);
      acked.push(b);
    }
    const inflight = [b, b + 1, b + 2].map((x) => send(x).then((r) => ({ x, ok: r.status === 201 }), () => ({ x, ok: false })));
    await new Promise((r) => setTimeout(r, 150));
    child.kill('SIGKILL');
    for (const r of await Promise.all(inflight)) (r.ok ? acked : unknown).push(r.x);
    b += 3;

    child = await start();
    for (const x of acked) expect(await count(`ZK${stamp}B${x}N`)).toBe(1000);
    for (const x of unknown) expect([0, 1000]).toContain(await count(`ZK${stamp}B${x}N`));
    // The client retries what it does not know about, with the same key: each completes once.
    const login2 = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'zto', password: 'demo1234' }) });
    const token2 = ((await login2.json()) as { token: string }).token;
    for (const x of unknown) {
      const r = await fetch(`${base}/partner/v1/manifests`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token2}`, 'idempotency-key': `crash-${stamp}-${x}` }, body: body(x) });
      expect([200, 201]).toContain(r.status);
      expect(await count(`ZK${stamp}B${x}N`)).toBe(1000);
    }
    console.log(`crash test: ${acked.length} acknowledged batches intact, ${unknown.length} in flight at SIGKILL resolved by retry`);
    child.kill('SIGKILL');
    child = undefined;
  });
});
