/**
 * bench:events — single events through POST /api/v1/events/batch (each parcel in its own
 * transaction: lock, read the log, check, append, project the status, outbox), with the public
 * tracking triggers (migrations 0070, 0071) on and, in the same run, switched off
 * (ALTER TABLE … DISABLE TRIGGER), in alternating rounds: what keeping the public answer costs a write.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:events -- [parcels per round=300] [rounds=2]
 *
 * Without DATABASE_URL it runs on in-memory PGlite. The first round warms the plans of every pooled
 * connection, so the later rounds are the steadier figures.
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import { startServer } from '../../main.ts';
import { dropSchema } from '../../db/connect.ts';

const perRound = Number(process.argv[2] ?? 300);
const rounds = Number(process.argv[3] ?? 2);
process.env.WEBHOOK_WORKER ??= 'off';
const schema = process.env.DATABASE_URL ? `bench_events_${Date.now().toString(36)}` : undefined;
const server = await startServer({ port: 0, host: '127.0.0.1', logLevel: 'silent', seedDemo: true, ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL, databaseSchema: schema } : { dataDir: 'memory://' }) });
const TRIGGERS: Array<[string, string]> = [['parcel_events', 'parcel_events_public_track'], ['parcels', 'parcels_public_track']];

async function login(username: string): Promise<string> {
  const r = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'demo1234' }) });
  return ((await r.json()) as { token: string }).token;
}
async function post<T>(token: string, path: string, body: unknown): Promise<T> {
  const r = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

try {
  const [zto, clerk] = [await login('zto'), await login('hejiang')];
  /** ms per event: `perRound` new parcels, one handed_over event each, 100 events per request. */
  const round = async (): Promise<number> => {
    const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`.toUpperCase();
    const m = await post<{ parcels: Array<{ parcelId: string }> }>(zto, '/partner/v1/manifests', {
      outletCode: 'AG522732111-01',
      parcels: Array.from({ length: perRound }, (_, i) => ({ waybillNo: `EV${stamp}${i}`, recipientName: '张小娟', recipientPhone: '13812345678', address: '贵州省黔南州三都县大河镇合江村二组', weightKg: 1, service: 'door' })),
    });
    const ids = m.parcels.map((p) => p.parcelId);
    const t0 = performance.now();
    for (let k = 0; k < ids.length; k += 100) {
      const r = await post<{ results: Array<{ result: string }> }>(clerk, '/api/v1/events/batch', { events: ids.slice(k, k + 100).map((id) => ({ eventId: randomUUID(), parcelId: id, type: 'handed_over', eventTime: new Date().toISOString() })) });
      if (r.results.some((x) => x.result !== 'created')) throw new Error(`an event was not created: ${JSON.stringify(r.results.find((x) => x.result !== 'created'))}`);
    }
    return (performance.now() - t0) / ids.length;
  };
  const setTriggers = async (on: boolean) => {
    for (const [table, trigger] of TRIGGERS) await sql.raw(`ALTER TABLE ${table} ${on ? 'ENABLE' : 'DISABLE'} TRIGGER ${trigger}`).execute(server.ctx.db);
  };
  console.log(`engine ${server.ctx.engine}; ${perRound} parcels per round, one event each; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  for (let r = 1; r <= rounds; r++) {
    const on = await round();
    await setTriggers(false);
    const off = await round();
    await setTriggers(true);
    console.log(`round ${r}: ${on.toFixed(2)} ms per event with the public-tracking triggers, ${off.toFixed(2)} ms without (+${(((on - off) / off) * 100).toFixed(0)}%)`);
  }
} finally {
  await server.close();
  if (schema && process.env.DATABASE_URL) {
    await dropSchema(process.env.DATABASE_URL, schema);
  }
}
