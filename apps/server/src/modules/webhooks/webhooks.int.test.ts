import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSecret, verify } from '@cuntong/domain/webhooks/signature.ts';
import { type TestServer, testServer } from '../../../test/harness.ts';
import { WebhookWorker } from '../../jobs/webhooks.worker.ts';
import { hmacSha256 } from './webhooks.service.ts';

const HEJIANG = 'AG522732111-01'; // 合江代办所, 三都县
type Json = Record<string, unknown>;
const json = async <T = Json>(r: Response | Promise<Response>): Promise<T> => (await (await r).json()) as T;
let seq = 0;
const wb = (prefix: string) => `${prefix}${Date.now().toString().slice(-6)}${String(++seq).padStart(5, '0')}`;
const parcel = (waybillNo: string, over: Json = {}) => ({ waybillNo, recipientName: '张小娟', recipientPhone: '13812345678', address: '贵州省黔南州三都县大河镇合江村二组', weightKg: 1.2, service: 'door', ...over });
const proof = { kind: 'signature', ref: 'sig_001', recipientType: 'recipient' };
const at = (minute: number) => new Date(Date.parse('2026-11-20T01:00:00Z') + minute * 60_000).toISOString();

// ---------------------------------------------------------------- a real receiver on loopback
interface Received { path: string; id: string; timestamp: string; signature: string; body: string; answered: number; fakeNowS: number }
const received: Received[] = [];
/** Per path: the status to answer (given the simulated time). */
const behaviour = new Map<string, (nowS: number) => number>();
let receiver: http.Server;
let receiverUrl = '';

// ---------------------------------------------------------------- simulated time
let nowMs = Date.now();
const clock = () => new Date(nowMs);
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let s: TestServer;
let worker: WebhookWorker;
const secrets = new Map<string, string>();
const newSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

beforeAll(async () => {
  s = await testServer();
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      const nowS = Math.floor(nowMs / 1000);
      const status = (behaviour.get(path) ?? (() => 200))(nowS);
      received.push({ path, id: String(req.headers['webhook-id']), timestamp: String(req.headers['webhook-timestamp']), signature: String(req.headers['webhook-signature']), body: Buffer.concat(chunks).toString('utf8'), answered: status, fakeNowS: nowS });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  worker = new WebhookWorker(s.ctx.db, { clock, pii: s.ctx.pii, random: mulberry32(42), allowLoopback: () => true, timeoutMs: 5000 });
});
afterAll(async () => {
  await new Promise<void>((r) => (receiver ? receiver.close(() => r()) : r()));
  await s?.close();
  delete process.env.WEBHOOK_ALLOW_LOOPBACK;
});

async function register(as: string, path: string) {
  const secret = newSecret();
  process.env.WEBHOOK_ALLOW_LOOPBACK = '1';
  const r = await s.api('/partner/v1/webhook', { method: 'PUT', as, json: { url: `${receiverUrl}${path}`, secret } });
  expect(r.status).toBe(200);
  secrets.set(path, secret);
  return secret;
}
function verifies(m: Received): boolean {
  const parsed = parseSecret(secrets.get(m.path) ?? '');
  if (!('key' in parsed)) return false;
  return verify(hmacSha256, parsed.key, { id: m.id, timestamp: m.timestamp, signature: m.signature }, m.body, m.fakeNowS);
}
async function manifest(as: string, parcels: Json[]) {
  const r = await s.api('/partner/v1/manifests', { method: 'POST', as, json: { outletCode: HEJIANG, parcels } });
  expect([200, 201]).toContain(r.status);
  return json<{ parcels: Array<{ waybillNo: string; parcelId: string | null }> }>(r);
}
async function batch(events: Json[]) {
  const r = await s.api('/api/v1/events/batch', { method: 'POST', as: 'hejiang', json: { events } });
  expect(r.status).toBe(200);
  return (await json<{ results: Array<{ result: string; code?: string }> }>(r)).results;
}
/** Runs the worker, jumping the simulated clock to each next due time, until nothing is due before `until`. */
async function drive(untilMs: number, maxPasses = 200) {
  // The API stamps with the real clock (replays, registrations): simulated time never lags behind it.
  nowMs = Math.max(nowMs, Date.now());
  untilMs = Math.max(untilMs, nowMs);
  for (let i = 0; i < maxPasses; i++) {
    await worker.runOnce();
    const next = await worker.service.nextDue();
    if (!next || next.getTime() > untilMs) return;
    nowMs = Math.max(nowMs, next.getTime());
  }
  const pending = await s.ctx.db.selectFrom('webhook_deliveries').select(['id', 'partner_code', 'parcel_id', 'outbox_id', 'attempts', 'next_attempt_at', 'locked_until', 'last_error']).where('status', '=', 'pending').execute();
  throw new Error(`the worker did not settle at ${new Date(nowMs).toISOString()}: ${JSON.stringify(pending)}`);
}
const bodyOf = (m: Received) => JSON.parse(m.body) as { waybillNo: string; status: string; data: { previousStatus: string | null; internalStatus: string } };

describe(`webhooks (${process.env.TEST_DB ?? 'pglite'})`, () => {
  it('refuses private, loopback and link-local URLs at registration; loopback only with WEBHOOK_ALLOW_LOOPBACK=1', async () => {
    const put = (url: string, secret = newSecret(), as = 'zto') => s.api('/partner/v1/webhook', { method: 'PUT', as, json: { url, secret } });
    process.env.WEBHOOK_ALLOW_LOOPBACK = '0';
    for (const url of ['http://127.0.0.1:9/x', 'http://[::1]:9/x', 'http://localhost:9/x', 'http://10.0.0.5/x', 'http://192.168.1.20/x', 'http://169.254.169.254/latest/meta-data', 'http://[fe80::1]/x', 'http://0.0.0.0/x', 'http://[::ffff:127.0.0.1]/x']) {
      const r = await put(url);
      expect(r.status, url).toBe(422);
      expect((await json<{ code: string }>(r)).code).toBe('webhook.url_forbidden');
    }
    process.env.WEBHOOK_ALLOW_LOOPBACK = '1';
    expect((await put('http://127.0.0.1:9/x')).status).toBe(200);
    for (const url of ['http://10.0.0.5/x', 'http://169.254.169.254/', 'http://172.20.0.1/']) expect((await put(url)).status, url).toBe(422);
    expect((await json<{ code: string }>(put('ftp://example.com/x'))).code).toBe('webhook.url_invalid');
    expect((await json<{ code: string }>(put('http://127.0.0.1:9/x', 'secret123456'))).code).toBe('webhook.secret_invalid');
    expect((await put('http://127.0.0.1:9/x', newSecret(), 'hejiang')).status).toBe(403);
    const got = await json<Json>(s.api('/partner/v1/webhook', { as: 'zto' }));
    expect(got).toMatchObject({ url: 'http://127.0.0.1:9/x', status: 'active' });
    expect(JSON.stringify(got)).not.toContain('whsec_');
    const row = await s.ctx.db.selectFrom('webhook_endpoints').select('secret_enc').where('partner_code', '=', 'ZTO').executeTakeFirstOrThrow();
    expect(row.secret_enc).not.toContain('whsec_');
  });

  it('checks the address again at send time (a name that now resolves to loopback is refused)', async () => {
    await register('zto', '/zto-rebind');
    const url = `http://localhost:${(receiver.address() as AddressInfo).port}/zto-rebind`;
    expect((await s.api('/partner/v1/webhook', { method: 'PUT', as: 'zto', json: { url, secret: secrets.get('/zto-rebind') } })).status).toBe(200);
    const w = wb('ZT');
    await manifest('zto', [parcel(w)]);
    const strict = new WebhookWorker(s.ctx.db, { clock, pii: s.ctx.pii, random: mulberry32(1), allowLoopback: () => false });
    const before = received.length;
    await strict.runOnce();
    expect(received.length).toBe(before); // nothing reached the receiver
    const d = await s.ctx.db.selectFrom('webhook_deliveries').selectAll().where('waybill_no', '=', w).executeTakeFirstOrThrow();
    expect(d).toMatchObject({ status: 'pending', attempts: 1 });
    expect(d.last_error).toMatch(/loopback.*refused/);
    // Let it go through (the test's loopback permission), so later tests start from an empty queue.
    nowMs += 60_000;
    await drive(nowMs);
    expect(received.filter((m) => m.path === '/zto-rebind' && bodyOf(m).waybillNo === w && m.answered === 200)).toHaveLength(1);
  });

  it('survives an hour-long outage: retried with backoff, then everything arrives once, in order per parcel, signed', async () => {
    await register('zto', '/zto');
    const t0 = nowMs;
    behaviour.set('/zto', (nowS) => (nowS * 1000 < t0 + 3600_000 ? 503 : 200));
    const waybills = [wb('ZT'), wb('ZT'), wb('ZT'), wb('ZT')];
    const m = await manifest('zto', waybills.map((w) => parcel(w)));
    const ids = m.parcels.map((p) => p.parcelId!);
    const events = ids.flatMap((id) => [
      { eventId: randomUUID(), parcelId: id, type: 'handed_over', eventTime: at(1) },
      { eventId: randomUUID(), parcelId: id, type: 'sorted', eventTime: at(2) },
      { eventId: randomUUID(), parcelId: id, type: 'out_for_delivery', eventTime: at(3) },
      { eventId: randomUUID(), parcelId: id, type: 'delivered', eventTime: at(4), proof },
    ]);
    expect((await batch(events)).every((r) => r.result === 'created')).toBe(true);

    await drive(t0 + 48 * 3600_000);
    const mine = received.filter((x) => x.path === '/zto' && waybills.includes(bodyOf(x).waybillNo));
    const ok = mine.filter((x) => x.answered === 200);
    const failed = mine.filter((x) => x.answered !== 200);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((x) => x.fakeNowS * 1000 < t0 + 3600_000)).toBe(true);
    // Everything once: 5 status changes per parcel, no id delivered twice.
    expect(ok).toHaveLength(waybills.length * 5);
    expect(new Set(ok.map((x) => x.id)).size).toBe(ok.length);
    // In order per parcel, in the partner's (default) vocabulary.
    for (const w of waybills) {
      expect(ok.filter((x) => bodyOf(x).waybillNo === w).map((x) => bodyOf(x).status)).toEqual(['ACCEPTED', 'ARRIVED_AT_OUTLET', 'SORTED', 'OUT_FOR_DELIVERY', 'DELIVERED']);
      // During the outage only the parcel's first message was tried; the rest waited behind it.
      expect(new Set(failed.filter((x) => bodyOf(x).waybillNo === w).map((x) => bodyOf(x).status))).toEqual(new Set(['ACCEPTED']));
    }
    // Every request (failed or not) is signed correctly; retries keep the webhook-id, with a new timestamp.
    expect(mine.every(verifies)).toBe(true);
    const firstId = ok.find((x) => bodyOf(x).waybillNo === waybills[0] && bodyOf(x).status === 'ACCEPTED')!.id;
    const tries = mine.filter((x) => x.id === firstId);
    expect(tries.length).toBeGreaterThan(2);
    expect(new Set(tries.map((x) => x.timestamp)).size).toBe(tries.length);
    // Backoff: the gaps between tries grow.
    const gaps = tries.slice(1).map((x, i) => x.fakeNowS - tries[i]!.fakeNowS);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]!).toBeGreaterThan(gaps[i - 1]!);
    // Each attempt is logged with its status and duration, visible to the partner.
    const list = await json<{ items: Array<{ id: string; status: string; attempts: number }>; total: number }>(s.api(`/partner/v1/webhook/deliveries?waybill=${waybills[0]}`, { as: 'zto' }));
    expect(list.items).toHaveLength(5);
    expect(list.items.every((d) => d.status === 'delivered')).toBe(true);
    const detail = await json<{ log: Array<{ statusCode: number; durationMs: number; error: string | null }> }>(s.api(`/partner/v1/webhook/deliveries/${firstId}`, { as: 'zto' }));
    expect(detail.log.map((l) => l.statusCode)).toEqual(tries.map((x) => x.answered));
    expect(detail.log.at(-1)).toMatchObject({ statusCode: 200, error: null });
    expect(detail.log.every((l) => typeof l.durationMs === 'number')).toBe(true);
    // Another partner cannot see it.
    expect((await s.api(`/partner/v1/webhook/deliveries/${firstId}`, { as: 'yto' })).status).toBe(404);
  });

  it('replays a message with the same webhook-id; 410 disables the endpoint and nothing is lost', async () => {
    await register('zto', '/zto-gone');
    const [w1, w2] = [wb('ZT'), wb('ZT')];
    await manifest('zto', [parcel(w1)]);
    await drive(nowMs);
    const first = received.filter((x) => x.path === '/zto-gone' && bodyOf(x).waybillNo === w1);
    expect(first).toHaveLength(1);
    const replay = await s.api(`/partner/v1/webhook/deliveries/${first[0]!.id}/replay`, { method: 'POST', as: 'zto' });
    expect(replay.status).toBe(202);
    await drive(nowMs);
    const again = received.filter((x) => x.path === '/zto-gone' && bodyOf(x).waybillNo === w1);
    expect(again).toHaveLength(2);
    expect(again[1]!.id).toBe(again[0]!.id);
    expect(again[1]!.body).toBe(again[0]!.body);
    expect(verifies(again[1]!)).toBe(true);

    behaviour.set('/zto-gone', () => 410);
    await manifest('zto', [parcel(w2)]);
    await drive(nowMs + 3600_000);
    expect(await json<Json>(s.api('/partner/v1/webhook', { as: 'zto' }))).toMatchObject({ status: 'disabled' });
    expect(received.filter((x) => x.path === '/zto-gone' && bodyOf(x).waybillNo === w2)).toHaveLength(1); // no more tries after 410
    // Re-enabling (PUT again) delivers what waited.
    behaviour.set('/zto-gone', () => 200);
    expect((await s.api('/partner/v1/webhook', { method: 'PUT', as: 'zto', json: { url: `${receiverUrl}/zto-gone`, secret: secrets.get('/zto-gone') } })).status).toBe(200);
    await drive(nowMs);
    expect(received.filter((x) => x.path === '/zto-gone' && bodyOf(x).waybillNo === w2).map((x) => x.answered)).toEqual([410, 200]);
  });

  it('keeps retrying a dead endpoint for more than 24 hours, then marks the message failed; an administrator replays it', async () => {
    await register('zto', '/zto-down');
    behaviour.set('/zto-down', () => 500);
    const w = wb('ZT');
    await manifest('zto', [parcel(w)]);
    const t0 = Math.max(nowMs, Date.now());
    await drive(t0 + 100 * 3600_000);
    const tries = received.filter((x) => x.path === '/zto-down' && bodyOf(x).waybillNo === w);
    expect(tries).toHaveLength(10);
    expect(tries.at(-1)!.fakeNowS - tries[0]!.fakeNowS).toBeGreaterThan(24 * 3600);
    const d = await s.ctx.db.selectFrom('webhook_deliveries').select(['id', 'status', 'attempts']).where('waybill_no', '=', w).executeTakeFirstOrThrow();
    expect(d).toMatchObject({ status: 'failed', attempts: 10 });
    const failedList = await json<{ items: Array<{ id: string }> }>(s.api(`/api/v1/webhooks/deliveries?partner=ZTO&status=failed&waybill=${w}`, { as: 'admin' }));
    expect(failedList.items.map((x) => x.id)).toEqual([d.id]);
    expect((await s.api(`/api/v1/webhooks/deliveries/${d.id}/replay`, { method: 'POST', as: 'zto' })).status).toBe(403);
    behaviour.set('/zto-down', () => 200);
    expect((await s.api(`/api/v1/webhooks/deliveries/${d.id}/replay`, { method: 'POST', as: 'admin' })).status).toBe(202);
    await drive(nowMs);
    const last = received.filter((x) => x.path === '/zto-down' && bodyOf(x).waybillNo === w).at(-1)!;
    expect(last).toMatchObject({ id: d.id, answered: 200 });
    expect(verifies(last)).toBe(true);
  });

  it('property: exactly one webhook per status transition however many duplicate events came, all signed', async () => {
    await register('yto', '/yto');
    const map = await s.api('/partner/v1/status-mapping', { method: 'PUT', as: 'yto', json: { mapping: { delivered: 'SIGNED', picked_up: 'SIGNED', manifested: 'GOT' } } });
    expect(map.status).toBe(200);
    const LIVES: Array<Array<[string, Json?]>> = [
      [['handed_over'], ['sorted'], ['out_for_delivery'], ['delivered', { proof }]],
      [['handed_over'], ['out_for_delivery'], ['delivery_failed', { reason: 'recipient_absent' }], ['out_for_delivery'], ['delivered', { proof }]],
      [['handed_over'], ['loaded_on_bus'], ['unloaded_at_stop'], ['out_for_delivery'], ['delivered_to_station'], ['picked_up', { proof: { kind: 'pickup_code', ref: 'pc_1', recipientType: 'recipient' } }]],
      [['handed_over'], ['sorted'], ['exception', { reason: 'damage' }]],
    ];
    await fc.assert(fc.asyncProperty(
      fc.integer({ min: 0, max: LIVES.length - 1 }),
      fc.integer({ min: 1, max: 3 }),
      fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 8, maxLength: 8 }),
      fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      async (life, manifestCopies, copies, seed) => {
        const w = wb('YT');
        let pid = '';
        for (let k = 0; k < manifestCopies; k++) {
          const m = await manifest('yto', [parcel(w, { service: LIVES[life]!.some(([t]) => t === 'delivered_to_station') ? 'station' : 'door' })]);
          pid ||= m.parcels[0]!.parcelId ?? '';
        }
        expect(pid).not.toBe('');
        const distinct = LIVES[life]!.map(([type, extra], i) => ({ eventId: randomUUID(), parcelId: pid, type, eventTime: at(i + 1), ...(extra ?? {}) }));
        const all = distinct.flatMap((e, i) => Array.from({ length: copies[i] ?? 1 }, () => e));
        const rnd = mulberry32(seed);
        for (let i = all.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [all[i], all[j]] = [all[j]!, all[i]!]; }
        // Three concurrent clients.
        const parts = [all.filter((_, i) => i % 3 === 0), all.filter((_, i) => i % 3 === 1), all.filter((_, i) => i % 3 === 2)].filter((p) => p.length);
        const results = (await Promise.all(parts.map(batch))).flat();
        expect(results.filter((r) => r.result === 'created')).toHaveLength(distinct.length);
        await drive(nowMs);
        const outbox = await s.ctx.db.selectFrom('outbox').select(['message_id', 'payload']).where('parcel_id', '=', pid).orderBy('id').execute();
        const got = received.filter((x) => x.path === '/yto' && bodyOf(x).waybillNo === w);
        // One webhook per recorded status change, none twice, in order, chained, all verifying.
        expect(got.map((x) => x.id)).toEqual(outbox.map((o) => o.message_id));
        expect(got.every((x) => x.answered === 200 && verifies(x))).toBe(true);
        for (let i = 1; i < got.length; i++) {
          expect(bodyOf(got[i]!).data.previousStatus).toBe(bodyOf(got[i - 1]!).status);
          expect(bodyOf(got[i]!).data.internalStatus).not.toBe(bodyOf(got[i - 1]!).data.internalStatus);
        }
        expect(bodyOf(got[0]!).status).toBe('GOT');
        const final = await s.ctx.db.selectFrom('parcels').select('status').where('id', '=', pid).executeTakeFirstOrThrow();
        expect(bodyOf(got.at(-1)!).data.internalStatus).toBe(final.status);
        if (final.status === 'delivered' || final.status === 'picked_up') expect(bodyOf(got.at(-1)!).status).toBe('SIGNED');
      },
    ), { numRuns: 8 });
  });

  it('the relay takes only its own topic: a row of another topic stays unpublished for its consumer', async () => {
    // Before the fix the relay marked every topic published, so a second consumer reading
    // "published_at IS NULL" would never have seen its rows.
    await s.ctx.db.insertInto('outbox').values({ message_id: 'msg_othertopic1', topic: 'station.notice', partner_code: null, parcel_id: null, dedupe_key: 'othertopic:1', payload: JSON.stringify({ note: 'for another consumer' }), created_at: clock() }).execute();
    const w = wb('ZT');
    expect((await s.api('/partner/v1/manifests', { method: 'POST', as: 'zto', json: { outletCode: HEJIANG, parcels: [parcel(w)] } })).status).toBe(201);
    await worker.runOnce();
    const rows = await s.ctx.db.selectFrom('outbox').select(['topic', 'published_at', 'feed_seq', 'payload']).where((eb) => eb.or([eb('message_id', '=', 'msg_othertopic1'), eb('topic', '=', 'parcel.status_changed')])).execute();
    const other = rows.find((r) => r.topic === 'station.notice')!;
    expect(other.published_at).toBeNull();
    expect(other.feed_seq).toBeNull();
    const mine = rows.filter((r) => r.topic === 'parcel.status_changed');
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((r) => r.published_at !== null && r.feed_seq !== null)).toBe(true);
    // Feed numbers are unique and follow the id order within a relay pass.
    const seqs = mine.map((r) => Number(r.feed_seq));
    expect(new Set(seqs).size).toBe(seqs.length);
    await s.ctx.db.deleteFrom('outbox').where('message_id', '=', 'msg_othertopic1').execute();
  });
});
