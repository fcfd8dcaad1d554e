import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL, TEST_ENGINE } from '../../../test/harness.ts';
import { repoPath } from '../divisions/reference.ts';
import { dropSchema } from '../../db/connect.ts';

/**
 * Crash test (PostgreSQL only: durability is claimed for PostgreSQL, not for embedded PGlite): the
 * server is killed with SIGKILL halfway through a 100,000-parcel ingestion (100 manifests of 1,000
 * from four clients); after a restart every acknowledged manifest is there whole, those in flight
 * whole or not at all, none of the unsent ones, and resuming with the same Idempotency-Keys ends
 * with exactly 100,000 parcels.
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
  await dropSchema(TEST_DATABASE_URL, schema);
});

const BATCHES = 100; // 100 manifests of 1,000 = the 100,000-parcel ingestion
const PER = 1000;

/** Parcels per batch, and how many of them have their manifest event (they must commit together). */
async function counts(stamp: string): Promise<Map<number, number>> {
  const pg = await import('pg');
  const c = new pg.default.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  try {
    const r = await c.query(`SELECT split_part(p.waybill_no, '-', 2)::int AS b, count(*)::int AS n, count(e.event_id)::int AS ev
      FROM ${schema}.parcels p LEFT JOIN ${schema}.parcel_events e ON e.event_id = p.id || '.manifest'
      WHERE p.waybill_no LIKE $1 GROUP BY 1`, [`ZK${stamp}-%`]);
    const out = new Map<number, number>();
    for (const row of r.rows as Array<{ b: number; n: number; ev: number }>) {
      expect(row.ev).toBe(row.n); // every parcel has its manifest event
      out.set(row.b, row.n);
    }
    return out;
  } finally {
    await c.end();
  }
}

describe.runIf(TEST_ENGINE === 'postgres')('SIGKILL during ingestion (postgres)', () => {
  it('keeps every acknowledged manifest of a 100,000-parcel ingestion whole and no unacknowledged one in part', async () => {
    child = await start();
    const login = async () => ((await (await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'zto', password: 'demo1234' }) })).json()) as { token: string }).token;
    let token = await login();
    const stamp = Date.now().toString(36).toUpperCase();
    const body = (b: number) => JSON.stringify({ outletCode: 'AG522732111-01', parcels: Array.from({ length: PER }, (_, i) => ({ waybillNo: `ZK${stamp}-${String(b).padStart(3, '0')}-${String(i).padStart(4, '0')}`, recipientName: '张小娟', recipientPhone: '13812345678', address: '三都县大河镇合江村', weightKg: 1, service: 'door' })) });
    const send = (b: number) => fetch(`${base}/partner/v1/manifests`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': `crash-${stamp}-${b}` }, body: body(b) });

    // Four clients stream the batches; when half are acknowledged the server is killed mid-flight.
    const acked = new Set<number>();
    const unknown = new Set<number>();
    let next = 0;
    let killed = false;
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (!killed && next < BATCHES) {
        const b = next++;
        const ok = await send(b).then((r) => r.status === 201, () => false);
        (ok ? acked : unknown).add(b);
        if (acked.size >= BATCHES / 2 && !killed) {
          killed = true;
          child!.kill('SIGKILL');
        }
      }
    }));
    expect(killed).toBe(true);
    const neverSent = Array.from({ length: BATCHES - next }, (_, i) => next + i);

    child = await start();
    const seen = await counts(stamp);
    for (const b of acked) expect(seen.get(b)).toBe(PER);
    for (const b of unknown) expect([undefined, PER]).toContain(seen.get(b));
    for (const b of neverSent) expect(seen.get(b)).toBeUndefined();

    // The client resumes: what it does not know about again with the same key, then the rest.
    token = await login();
    const rest = [...unknown, ...neverSent];
    let k = 0;
    await Promise.all(Array.from({ length: 4 }, async () => {
      while (k < rest.length) {
        const r = await send(rest[k++]!);
        expect([200, 201]).toContain(r.status);
      }
    }));
    const final = await counts(stamp);
    expect(final.size).toBe(BATCHES);
    expect([...final.values()].every((n) => n === PER)).toBe(true);
    console.log(`crash test: ${acked.size} acknowledged batches intact after SIGKILL, ${unknown.size} in flight (${[...unknown].filter((b) => seen.get(b) === PER).length} had committed), ${neverSent.length} not yet sent; after resuming, ${BATCHES * PER} parcels exactly`);
    child.kill('SIGKILL');
    child = undefined;
  }, 240_000);
});
