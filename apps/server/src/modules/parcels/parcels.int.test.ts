import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fc from 'fast-check';
import { type EventType, project } from '@cuntong/domain/parcels/status.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app.ts';
import { ParcelsService, requestHash } from './parcels.service.ts';
import { type TestServer, testServer } from '../../../test/harness.ts';

process.env.TRACK_RATE_LIMIT = '40';

let s: TestServer;
beforeAll(async () => {
  s = await testServer();
});
afterAll(async () => s?.close());

const HEJIANG = 'AG522732111-01'; // 合江代办所, 三都县 (522732)
const HEJIANG_VILLAGE = '522732111282'; // 合江村
type Json = Record<string, unknown>;
const json = async <T = Json>(r: Response | Promise<Response>): Promise<T> => (await (await r).json()) as T;
let seq = 0;
const wb = (prefix = 'ZT') => `${prefix}${Date.now().toString().slice(-6)}${String(++seq).padStart(5, '0')}`;
const parcel = (waybillNo: string, over: Json = {}) => ({ waybillNo, recipientName: '张小娟', recipientPhone: '13812345678', address: '贵州省黔南州三都县大河镇合江村二组', weightKg: 1.2, service: 'door', ...over });
type ManifestResult = { manifestId: string; accepted: number; duplicates: number; addressExceptions: number; parcels: Array<{ waybillNo: string; parcelId: string | null; result: string; addressStatus?: string }> };
type Problem = { status: number; code: string; errors?: Array<{ path: string; message: string; row?: number }> };
type EventResult = { eventId: string; result: string; status?: string | null; code?: string };
type ParcelView = { id: string; status: string; recipientName: string; recipientPhone: string; closedAt: string | null; events: Array<{ eventId: string; type: string; voided: boolean }> };

async function manifest(as: string, parcels: Json[], headers: Record<string, string> = {}, outletCode = HEJIANG) {
  return s.api('/partner/v1/manifests', { method: 'POST', as, headers, json: { outletCode, parcels } });
}
async function newParcel(over: Json = {}, as = 'zto'): Promise<{ id: string; waybillNo: string }> {
  const w = wb(as === 'zto' ? 'ZT' : 'YT');
  const r = await json<ManifestResult>(manifest(as, [parcel(w, over)]));
  return { id: r.parcels[0]!.parcelId!, waybillNo: w };
}
const at = (minute: number) => new Date(Date.parse('2026-11-20T01:00:00Z') + minute * 60_000).toISOString();
const proof = { kind: 'signature', ref: 'sig_001', recipientType: 'recipient' };
function event(parcelId: string, type: string, minute: number, extra: Json = {}) {
  return { eventId: randomUUID(), parcelId, type, eventTime: at(minute), ...extra };
}
async function batch(events: Json[], as = 'hejiang') {
  const r = await s.api('/api/v1/events/batch', { method: 'POST', as, json: { events } });
  expect(r.status).toBe(200);
  return (await json<{ results: EventResult[] }>(r)).results;
}
async function outboxCount(parcelId: string) {
  const r = await s.ctx.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('parcel_id', '=', parcelId).executeTakeFirstOrThrow();
  return Number(r.n);
}

describe(`inbound parcels (${process.env.TEST_DB ?? 'pglite'})`, () => {
  describe('partner manifests', () => {
    it('accepts a manifest, resolves addresses, and counts repeats of the same waybill as duplicates', async () => {
      const [a, b, c] = [wb(), wb(), wb()];
      const body = [parcel(a), parcel(b, { address: '合江村' }), parcel(c, { address: '三都县大河镇老寨子', service: 'station' })];
      const r = await manifest('zto', body);
      expect(r.status).toBe(201);
      const m = await json<ManifestResult>(r);
      expect(m).toMatchObject({ accepted: 3, duplicates: 0, addressExceptions: 2 });
      expect(m.parcels.map((x) => x.addressStatus)).toEqual(['resolved', 'low_confidence', 'unresolved']);
      const again = await manifest('zto', body);
      expect(again.status).toBe(200);
      expect(await json<ManifestResult>(again)).toMatchObject({ accepted: 0, duplicates: 3 });
      const rows = await s.ctx.db.selectFrom('parcels').select(['id', 'status']).where('waybill_no', 'in', [a, b, c]).execute();
      expect(rows).toHaveLength(3);
      expect(rows.every((x) => x.status === 'manifested')).toBe(true);
      // One outbox row per parcel for its first status, not one per submission.
      for (const x of rows) expect(await outboxCount(x.id)).toBe(1);
    });

    it('replays the first response for an Idempotency-Key, and refuses the key with another body (409)', async () => {
      const key = randomUUID();
      const body = [parcel(wb()), parcel(wb())];
      const first = await manifest('zto', body, { 'idempotency-key': key });
      expect(first.status).toBe(201);
      const fb = await json<ManifestResult>(first);
      const replay = await manifest('zto', body, { 'idempotency-key': key });
      expect(replay.status).toBe(201);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(await json<ManifestResult>(replay)).toEqual(fb);
      const other = await manifest('zto', [parcel(wb())], { 'idempotency-key': key });
      expect(other.status).toBe(409);
      expect(other.headers.get('content-type')).toContain('application/problem+json');
      expect((await json<Problem>(other)).code).toBe('idempotency.key_reused');
      // Keys are per partner: YTO may use the same key string.
      expect((await manifest('yto', [parcel(wb('YT'))], { 'idempotency-key': key })).status).toBe(201);
    });

    it('honours an Idempotency-Key for 24 hours, then treats it as new', async () => {
      let now = new Date('2026-12-01T08:00:00Z');
      const svc = new ParcelsService(s.ctx.db, { region: '5227', clock: () => now, pii: s.ctx.pii });
      const zto = { id: 'usr_zto_test', username: 'zto', displayName: 'ZTO', role: 'partner' as const, partnerCode: 'ZTO', via: 'api_key' as const };
      const body = { partnerCode: 'ZTO', outletCode: HEJIANG, parcels: [parcel(wb())] as never[], source: 'api' as const };
      const idem = { key: `ttl-${randomUUID()}`, requestHash: requestHash({ x: 1 }) };
      const first = await svc.ingestManifest(zto, body, idem);
      now = new Date(now.getTime() + 23 * 3600_000);
      const replay = await svc.ingestManifest(zto, body, idem);
      expect(replay).toMatchObject({ replayed: true, status: 201, body: { manifestId: first.body.manifestId } });
      now = new Date(now.getTime() + 2 * 3600_000);
      const fresh = await svc.ingestManifest(zto, body, idem);
      expect(fresh.replayed).toBe(false);
      expect(fresh.body.manifestId).not.toBe(first.body.manifestId);
      expect(fresh.body).toMatchObject({ accepted: 0, duplicates: 1 }); // the waybill is still one parcel
    });

    it('gives concurrent retries with one key exactly one manifest', async () => {
      const key = randomUUID();
      const body = [parcel(wb()), parcel(wb()), parcel(wb())];
      const rs = await Promise.all(Array.from({ length: 10 }, () => manifest('zto', body, { 'idempotency-key': key })));
      const bodies = await Promise.all(rs.map((r) => json<ManifestResult>(r)));
      expect(rs.every((r) => r.status === 201)).toBe(true);
      expect(new Set(bodies.map((b) => b.manifestId)).size).toBe(1);
      const n = await s.ctx.db.selectFrom('manifests').select('id').where('id', '=', bodies[0]!.manifestId).execute();
      expect(n).toHaveLength(1);
    });

    it('rejects a bad batch as a whole with an error for each row, and writes nothing', async () => {
      const good = wb();
      const r = await manifest('zto', [parcel(good), parcel(wb(), { recipientPhone: '12345' }), parcel('x', { weightKg: 0 })]);
      expect(r.status).toBe(422);
      const p = await json<Problem>(r);
      expect(p.code).toBe('manifest.rejected');
      expect(p.errors!.map((e) => e.path)).toEqual(['/parcels/1/recipientPhone', '/parcels/2/waybillNo', '/parcels/2/weightKg']);
      expect(await s.ctx.db.selectFrom('parcels').select('id').where('waybill_no', '=', good).execute()).toHaveLength(0);
      expect((await manifest('zto', [parcel(good)], {}, 'NO-SUCH-OUTLET')).status).toBe(422);
      const same = wb();
      const twice = await manifest('zto', [parcel(same), parcel(same, { weightKg: 3 })]);
      expect(twice.status).toBe(422);
      expect((await json<Problem>(twice)).errors![0]!.path).toBe('/parcels/1/waybillNo');
    });

    it('takes manifests only for counties where the partner has an agreement in force', async () => {
      expect((await s.api('/api/v1/partners', { method: 'POST', as: 'admin', json: { code: 'NOAGR', name: '无协议快递', active: true } })).status).toBe(201);
      const svc = new ParcelsService(s.ctx.db, { region: '5227', clock: s.ctx.clock, pii: s.ctx.pii });
      const p = { id: 'usr_noagr', username: 'noagr', displayName: 'NOAGR', role: 'partner' as const, partnerCode: 'NOAGR', via: 'api_key' as const };
      await expect(svc.ingestManifest(p, { partnerCode: 'NOAGR', outletCode: HEJIANG, parcels: [parcel(wb()) as never], source: 'api' })).rejects.toMatchObject({ code: 'manifest.no_agreement' });
    });

    it('keeps the partner API for partners, and each partner to its own parcels (404, not 403)', async () => {
      const { waybillNo } = await newParcel();
      const mine = await s.api(`/partner/v1/parcels/${waybillNo}`, { as: 'zto' });
      expect(mine.status).toBe(200);
      const v = await json<ParcelView>(mine);
      expect(v).toMatchObject({ recipientName: '张*娟', recipientPhone: '138******78', status: 'manifested' });
      expect(v.events.map((e) => e.type)).toEqual(['manifest_received']);
      const probe = await s.api(`/partner/v1/parcels/${waybillNo}`, { as: 'yto' });
      expect(probe.status).toBe(404);
      const missing = await s.api('/partner/v1/parcels/ZT000000000000', { as: 'yto' });
      expect(await probe.text()).toBe((await missing.text()).replaceAll('ZT000000000000', waybillNo));
      expect((await s.api(`/partner/v1/parcels/${waybillNo}`, { as: 'admin' })).status).toBe(403);
      expect((await s.api('/partner/v1/manifests', { method: 'POST', as: 'hejiang', json: { outletCode: HEJIANG, parcels: [parcel(wb())] } })).status).toBe(403);
      expect((await s.api(`/partner/v1/parcels/${waybillNo}`)).status).toBe(401);
    });
    it('speaks each partner\'s status vocabulary on GET /partner/v1/parcels/{waybillNo}, for the status and every event', async () => {
      const set = await s.api('/partner/v1/status-mapping', { method: 'PUT', as: 'zto', json: { mapping: { manifested: 'ZT_GOT', at_outlet: 'ZT_AT_POST' } } });
      expect(set.status).toBe(200);
      try {
        const mine = await newParcel();
        expect((await batch([event(mine.id, 'handed_over', 5)]))[0]).toMatchObject({ result: 'created', status: 'at_outlet' });
        type PartnerView = { status: string; partnerStatus: string; events: Array<{ type: string; status: string | null; partnerStatus: string | null }> };
        const v = await json<PartnerView>(s.api(`/partner/v1/parcels/${mine.waybillNo}`, { as: 'zto' }));
        expect(v).toMatchObject({ status: 'at_outlet', partnerStatus: 'ZT_AT_POST' });
        expect(v.events.map((e) => [e.type, e.status, e.partnerStatus])).toEqual([['manifest_received', 'manifested', 'ZT_GOT'], ['handed_over', 'at_outlet', 'ZT_AT_POST']]);
        // Another partner keeps its own (here the default) codes, and cannot see ZTO's waybill.
        const theirs = await newParcel({}, 'yto');
        const y = await json<PartnerView>(s.api(`/partner/v1/parcels/${theirs.waybillNo}`, { as: 'yto' }));
        expect(y).toMatchObject({ status: 'manifested', partnerStatus: 'ACCEPTED' });
        expect(y.events[0]).toMatchObject({ status: 'manifested', partnerStatus: 'ACCEPTED' });
        expect((await s.api(`/partner/v1/parcels/${mine.waybillNo}`, { as: 'yto' })).status).toBe(404);
        expect((await s.api(`/partner/v1/parcels/${theirs.waybillNo}`, { as: 'zto' })).status).toBe(404);
      } finally {
        await s.api('/partner/v1/status-mapping', { method: 'PUT', as: 'zto', json: { mapping: {} } });
      }
    });
  });

  describe('personal data', () => {
    it('stores the phone encrypted with a keyed hash, and never in clear', async () => {
      const { id } = await newParcel({ recipientPhone: '13987654321', recipientName: '欧阳娜娜' });
      const raw = await s.ctx.db.selectFrom('parcels').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const text = JSON.stringify(raw);
      expect(text).not.toContain('13987654321');
      expect(text).not.toContain('欧阳娜娜');
      expect(raw.phone_enc).toMatch(/^v1\./);
      expect(raw.phone_masked).toBe('139******21');
      // Lookup by phone works through the keyed hash.
      const found = await json<{ items: Array<{ id: string }> }>(s.api('/api/v1/parcels/search', { method: 'POST', as: 'admin', json: { phone: '139-8765-4321' } }));
      expect(found.items.map((x) => x.id)).toContain(id);
      expect((await json<{ total: number }>(s.api('/api/v1/parcels/search', { method: 'POST', as: 'duyun', json: { phone: '13987654321' } }))).total).toBe(0);
    });

    it('keeps the candidate villages of a low-confidence address for the exception queue', async () => {
      const { id } = await newParcel({ address: '合江村' });
      const v = await json<{ addressStatus: string; addressCandidates: Array<{ code: string; name: string; town: string; county: string }> }>(s.api(`/api/v1/parcels/${id}`, { as: 'hejiang' }));
      expect(v.addressStatus).toBe('low_confidence');
      expect(v.addressCandidates).toEqual([expect.objectContaining({ code: HEJIANG_VILLAGE, name: '合江村' })]);
    });
    it('stores texts with quotes, backslashes, braces and commas exactly (the batch insert passes columns as array literals)', async () => {
      const name = '欧阳"娜,娜\\';
      const address = '三都县大河镇合江村{二组}, "老街" \\ 5号 NULL';
      const { id } = await newParcel({ recipientName: name, address });
      const r = await json<{ recipientName: string; address: string }>(s.api(`/api/v1/parcels/${id}/reveal`, { method: 'POST', as: 'hejiang', json: { reason: '核对地址' } }));
      expect(r).toMatchObject({ recipientName: name, address });
      const row = await s.ctx.db.selectFrom('parcels').select(['recipient_name_masked', 'address_masked']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.recipient_name_masked).not.toBeNull();
      expect(row.address_masked).toContain('"老街"');
    });
    it('reveals personal data only with the permission, and audits every reveal', async () => {
      const { id } = await newParcel({ recipientPhone: '13700001111' });
      const ok = await s.api(`/api/v1/parcels/${id}/reveal`, { method: 'POST', as: 'hejiang', json: { reason: '投递联系收件人' } });
      expect(ok.status).toBe(200);
      expect(await json(ok)).toMatchObject({ recipientPhone: '13700001111', recipientName: '张小娟' });
      expect((await s.api(`/api/v1/parcels/${id}/reveal`, { method: 'POST', as: 'jijia', json: { reason: 'curious' } })).status).toBe(403);
      expect((await s.api(`/api/v1/parcels/${id}/reveal`, { method: 'POST', as: 'duyun', json: { reason: 'curious' } })).status).toBe(404);
      const audit = await s.ctx.db.selectFrom('audit_log').select(['action', 'result', 'actor_name', 'detail']).where('object_id', '=', id).where('action', '=', 'parcel.reveal').execute();
      expect(audit.map((a) => [a.actor_name, a.result])).toEqual(expect.arrayContaining([['hejiang', 'ok'], ['jijia', 'denied']]));
      const all = JSON.stringify(await s.ctx.db.selectFrom('audit_log').select('detail').execute());
      for (const phone of ['13700001111', '13812345678', '13987654321']) expect(all).not.toContain(phone);
    });

    it('keeps personal data out of the request logs', async () => {
      const lines: string[] = [];
      const text = (d: unknown) => (typeof d === 'string' ? d : Buffer.from(d as Uint8Array).toString('utf8'));
      // pino writes to process.stdout, or to fd 1 through sonic-boom (fs.write / fs.writeSync): capture all three.
      const orig = { out: process.stdout.write, ws: fs.writeSync, w: fs.write };
      process.stdout.write = ((d: unknown) => { lines.push(text(d)); return true; }) as typeof process.stdout.write;
      fs.writeSync = ((fd: number, d: unknown, ...rest: unknown[]) => {
        if (fd !== 1) return (orig.ws as (...a: unknown[]) => number)(fd, d, ...rest);
        lines.push(text(d));
        return typeof d === 'string' ? Buffer.byteLength(d) : (d as Uint8Array).length;
      }) as typeof fs.writeSync;
      fs.write = ((fd: number, d: unknown, ...rest: unknown[]) => {
        if (fd !== 1) return (orig.w as (...a: unknown[]) => void)(fd, d, ...rest);
        lines.push(text(d));
        const cb = rest.find((x) => typeof x === 'function') as ((e: null, n: number) => void) | undefined;
        setImmediate(() => cb?.(null, typeof d === 'string' ? Buffer.byteLength(d) : (d as Uint8Array).length));
      }) as typeof fs.write;
      const app = await buildApp(s.ctx, { logger: { level: 'debug' } });
      try {
        const auth = { authorization: `Bearer ${await s.token('zto')}` };
        const staff = { authorization: `Bearer ${await s.token('admin')}` };
        const w = wb();
        const m = await app.inject({ method: 'POST', url: '/partner/v1/manifests', headers: auth, payload: { outletCode: HEJIANG, parcels: [parcel(w, { recipientPhone: '13511112222', recipientName: '司马小明' })] } });
        expect(m.statusCode).toBe(201);
        const id = (m.json() as ManifestResult).parcels[0]!.parcelId!;
        await app.inject({ method: 'POST', url: '/partner/v1/manifests', headers: auth, payload: { outletCode: HEJIANG, parcels: [parcel(wb(), { recipientPhone: '1351111' })] } });
        await app.inject({ method: 'POST', url: '/api/v1/parcels/search', headers: staff, payload: { phone: '13511112222' } });
        expect((await app.inject({ method: 'POST', url: `/api/v1/parcels/${id}/reveal`, headers: staff, payload: { reason: 'test' } })).json()).toMatchObject({ recipientPhone: '13511112222' });
        await app.inject({ method: 'GET', url: `/api/v1/track/${w}` });
      } finally {
        await app.close();
        process.stdout.write = orig.out;
        fs.writeSync = orig.ws;
        fs.write = orig.w;
      }
      const log = lines.join('');
      expect(log).toContain('/partner/v1/manifests'); // the logger did run
      for (const pii of ['13511112222', '1351111', '司马小明', '合江村二组']) expect(log).not.toContain(pii);
    });

    it('scopes staff to their county: 三都 sees 三都 parcels, 都匀 does not', async () => {
      const { id, waybillNo } = await newParcel();
      expect((await s.api(`/api/v1/parcels/${id}`, { as: 'sandu' })).status).toBe(200);
      expect((await s.api(`/api/v1/parcels/${id}`, { as: 'duyun' })).status).toBe(404);
      expect((await json<{ total: number }>(s.api(`/api/v1/parcels?waybill=${waybillNo}`, { as: 'duyun' }))).total).toBe(0);
      expect((await s.api('/api/v1/parcels?county=522732', { as: 'duyun' })).status).toBe(403);
      expect((await s.api(`/api/v1/parcels/${id}/events`, { method: 'POST', as: 'duyun', json: { eventId: randomUUID(), type: 'handed_over', eventTime: at(1) } })).status).toBe(404);
    });

    it('public tracking shows the timeline with place names and masked data only, rate limited', async () => {
      const { id, waybillNo } = await newParcel({ recipientPhone: '13812345678', recipientName: '张小娟' });
      await batch([event(id, 'handed_over', 1)]);
      const r = await s.api(`/api/v1/track/${waybillNo}`);
      expect(r.status).toBe(200);
      const text = await r.text();
      const t = JSON.parse(text) as { recipientName: string; recipientPhone: string; destination: string; events: Array<{ type: string; place: string }> };
      expect(t).toMatchObject({ recipientName: '张*娟', recipientPhone: '138******78', destination: '合江村' });
      expect(t.events.map((e) => e.type)).toEqual(['manifest_received', 'handed_over']);
      expect(t.events[1]!.place).toBe('合江代办所');
      expect(text).not.toContain('13812345678');
      expect(text).not.toContain('张小娟');
      expect(text).not.toContain(id);
      expect((await s.api('/api/v1/track/NOPE0000000')).status).toBe(404);
      let limited = 0;
      for (let i = 0; i < 45; i++) if ((await s.api(`/api/v1/track/${waybillNo}`)).status === 429) limited++;
      expect(limited).toBeGreaterThan(0);
    });
  });

  describe('events', () => {
    it('gives the same status and stored events for duplicated, shuffled events from concurrent clients', async () => {
      for (const end of ['door', 'station'] as const) {
        const { id } = await newParcel({ service: end });
        const life = [event(id, 'handed_over', 1), event(id, 'sorted', 2), event(id, 'loaded_on_bus', 3), event(id, 'unloaded_at_stop', 4), event(id, 'out_for_delivery', 5), event(id, 'delivery_failed', 6, { reason: 'recipient_absent' }), event(id, 'out_for_delivery', 7)];
        if (end === 'door') life.push(event(id, 'delivered', 8, { proof }));
        else life.push(event(id, 'delivered_to_station', 8), event(id, 'picked_up', 9, { proof: { kind: 'pickup_code', ref: 'pc_1', recipientType: 'recipient' } }));
        const stream = life.flatMap((e, i) => Array.from({ length: 1 + (i % 3) }, () => e));
        for (let i = stream.length - 1; i > 0; i--) {
          const j = (i * 7919) % (i + 1);
          [stream[i], stream[j]] = [stream[j]!, stream[i]!];
        }
        const chunks = [0, 1, 2, 3].map((k) => stream.filter((_, i) => i % 4 === k));
        const results = (await Promise.all(chunks.map((c, k) => batch(c, k % 2 ? 'hejiang' : 'sandu')))).flat();
        expect(results.filter((r) => r.result === 'created')).toHaveLength(life.length);
        expect(results.every((r) => r.result === 'created' || r.result === 'duplicate')).toBe(true);
        const v = await json<ParcelView>(s.api(`/api/v1/parcels/${id}`, { as: 'sandu' }));
        expect(v.status).toBe(end === 'door' ? 'delivered' : 'picked_up');
        expect(v.closedAt).not.toBeNull();
        expect(v.events).toHaveLength(life.length + 1);
        expect(new Set(v.events.map((e) => e.eventId)).size).toBe(life.length + 1);
        // Sending everything again adds no event and no outbox row.
        const before = await outboxCount(id);
        const again = await batch(stream);
        expect(again.every((r) => r.result === 'duplicate')).toBe(true);
        expect(await outboxCount(id)).toBe(before);
      }
    });

    it('property (fast-check): random lifecycles, each event 1–3 times, shuffled, from 4 concurrent clients = in-order ingestion', async () => {
      const lifecycle = fc.record({
        sorted: fc.boolean(), bus: fc.boolean(), failures: fc.integer({ min: 0, max: 2 }),
        end: fc.constantFrom('door', 'station', 'return', 'open'),
        copies: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 16, maxLength: 16 }),
        order: fc.array(fc.nat(), { minLength: 48, maxLength: 48 }),
      });
      await fc.assert(
        fc.asyncProperty(lifecycle, async ({ sorted, bus, failures, end, copies, order }) => {
          const { id } = await newParcel({ service: end === 'station' ? 'station' : 'door' });
          const types: EventType[] = ['handed_over'];
          if (sorted) types.push('sorted');
          if (bus) types.push('loaded_on_bus', 'unloaded_at_stop');
          for (let i = 0; i < failures; i++) types.push('out_for_delivery', 'delivery_failed');
          if (end === 'door') types.push('out_for_delivery', 'delivered');
          if (end === 'station') types.push('out_for_delivery', 'delivered_to_station', 'picked_up');
          if (end === 'return') types.push('returned_to_partner');
          const life = types.map((t, i) => event(id, t, i + 1, t === 'delivered' ? { proof } : t === 'picked_up' ? { proof: { kind: 'pickup_code', ref: 'pc', recipientType: 'recipient' } } : t === 'delivery_failed' ? { reason: 'recipient_absent' } : {}));
          const expected = project([{ eventId: 'm', type: 'manifest_received', eventTime: at(0) }, ...life.map((e) => ({ eventId: e.eventId, type: e.type as EventType, eventTime: e.eventTime }))]);
          const stream = life.flatMap((e, i) => Array.from({ length: copies[i] ?? 1 }, () => e));
          for (let i = stream.length - 1; i > 0; i--) {
            const j = (order[i] ?? 0) % (i + 1);
            [stream[i], stream[j]] = [stream[j]!, stream[i]!];
          }
          const results = (await Promise.all([0, 1, 2, 3].map((k) => stream.filter((_, i) => i % 4 === k)).filter((c) => c.length > 0).map((c, k) => batch(c, k % 2 ? 'hejiang' : 'sandu')))).flat();
          expect(results.filter((r) => r.result === 'created')).toHaveLength(life.length);
          expect(results.every((r) => r.result === 'created' || r.result === 'duplicate')).toBe(true);
          const v = await json<ParcelView>(s.api(`/api/v1/parcels/${id}`, { as: 'sandu' }));
          expect(v.status).toBe(expected.status);
          expect(v.events.map((e) => e.eventId).sort()).toEqual([...life.map((e) => e.eventId), v.events.find((e) => e.type === 'manifest_received')!.eventId].sort());
        }),
        { numRuns: 12 },
      );
    });

    it('writes one outbox row per status change for in-order events', async () => {
      const { id } = await newParcel();
      await batch([event(id, 'handed_over', 1), event(id, 'out_for_delivery', 2), event(id, 'delivered', 3, { proof })]);
      expect(await outboxCount(id)).toBe(4);
      const rows = await s.ctx.db.selectFrom('outbox').select(['payload', 'partner_code']).where('parcel_id', '=', id).orderBy('id').execute();
      expect(rows.map((r) => (r.payload as { status: string }).status)).toEqual(['manifested', 'at_outlet', 'out_for_delivery', 'delivered']);
      expect(rows.every((r) => r.partner_code === 'ZTO')).toBe(true);
      expect(JSON.stringify(rows)).not.toContain('13812345678');
    });

    it('ignores a repeated event id, and answers the same id with another body with 409 and an audit row', async () => {
      const { id } = await newParcel();
      const e = { eventId: randomUUID(), type: 'handed_over', eventTime: at(1) };
      expect((await s.api(`/api/v1/parcels/${id}/events`, { method: 'POST', as: 'hejiang', json: e })).status).toBe(201);
      expect((await s.api(`/api/v1/parcels/${id}/events`, { method: 'POST', as: 'hejiang', json: e })).status).toBe(200);
      const r = await s.api(`/api/v1/parcels/${id}/events`, { method: 'POST', as: 'hejiang', json: { ...e, eventTime: at(2) } });
      expect(r.status).toBe(409);
      expect((await json<Problem>(r)).code).toBe('event.id_reused');
      const audit = await s.ctx.db.selectFrom('audit_log').select('action').where('object_id', '=', id).where('action', '=', 'event.conflict').execute();
      expect(audit).toHaveLength(1);
      const v = await json<ParcelView>(s.api(`/api/v1/parcels/${id}`, { as: 'hejiang' }));
      expect(v.events).toHaveLength(2);
    });

    it('rejects impossible transitions with a reason, and corrects by voiding', async () => {
      const { id } = await newParcel();
      const [h, o, d] = [event(id, 'handed_over', 1), event(id, 'out_for_delivery', 2), event(id, 'delivered', 3, { proof })];
      await batch([h, o, d]);
      const late = await s.api(`/api/v1/parcels/${id}/events`, { method: 'POST', as: 'hejiang', json: { eventId: randomUUID(), type: 'out_for_delivery', eventTime: at(4) } });
      expect(late.status).toBe(422);
      expect((await json<Problem>(late)).code).toBe('event.after_terminal');
      const v = await s.api(`/api/v1/parcels/${id}/events`, { method: 'POST', as: 'hejiang', json: { eventId: randomUUID(), type: 'void', eventTime: at(5), voids: d.eventId, note: 'scanned the wrong parcel' } });
      expect(v.status).toBe(201);
      const view = await json<ParcelView>(s.api(`/api/v1/parcels/${id}`, { as: 'hejiang' }));
      expect(view.status).toBe('out_for_delivery');
      expect(view.closedAt).toBeNull();
      expect(view.events.find((e) => e.eventId === d.eventId)!.voided).toBe(true);
      expect((await s.api(`/api/v1/parcels/${id}/events`, { method: 'POST', as: 'hejiang', json: { eventId: randomUUID(), type: 'void', eventTime: at(6), voids: 'no-such-event' } })).status).toBe(422);
      const future = await s.api(`/api/v1/parcels/${id}/events`, { method: 'POST', as: 'hejiang', json: { eventId: randomUUID(), type: 'delivery_failed', reason: 'refused', eventTime: new Date(Date.now() + 86_400_000).toISOString() } });
      expect((await json<Problem>(future)).code).toBe('event.in_future');
      // The event log is append-only in the database too.
      await expect(s.ctx.db.updateTable('parcel_events').set({ type: 'delivered' }).where('event_id', '=', o.eventId).execute()).rejects.toThrow(/append-only/);
    });

    it('needs consent for station delivery and proof for delivered', async () => {
      const { id } = await newParcel({ service: 'door' });
      await batch([event(id, 'handed_over', 1), event(id, 'out_for_delivery', 2)]);
      const st = { eventId: randomUUID(), type: 'delivered_to_station', eventTime: at(3) };
      const no = await s.api(`/api/v1/parcels/${id}/events`, { method: 'POST', as: 'hejiang', json: st });
      expect(no.status).toBe(422);
      expect((await json<Problem>(no)).code).toBe('consent.station_missing');
      const noProof = await s.api(`/api/v1/parcels/${id}/events`, { method: 'POST', as: 'hejiang', json: { eventId: randomUUID(), type: 'delivered', eventTime: at(3) } });
      expect((await json<Problem>(noProof)).code).toBe('proof.missing');
      const c = await s.api('/api/v1/consents', { method: 'POST', as: 'hejiang', json: { parcelId: id, kind: 'station', channel: 'sms', givenAt: at(2) } });
      expect(c.status).toBe(201);
      expect((await s.api(`/api/v1/parcels/${id}/events`, { method: 'POST', as: 'hejiang', json: st })).status).toBe(201);
      const consents = await json<{ items: Array<{ kind: string; channel: string }> }>(s.api(`/api/v1/parcels/${id}/consents`, { as: 'hejiang' }));
      expect(consents.items).toEqual([expect.objectContaining({ kind: 'station', channel: 'sms' })]);
      expect(await s.ctx.db.selectFrom('audit_log').select('action').where('object_id', '=', id).where('action', '=', 'consent.record').execute()).toHaveLength(1);
      // A standing consent by phone covers the recipient's other parcels; a proxy needs one.
      const other = await newParcel({ recipientPhone: '13655556666' });
      await batch([event(other.id, 'handed_over', 1), event(other.id, 'out_for_delivery', 2)]);
      const proxy = { eventId: randomUUID(), type: 'delivered', eventTime: at(3), proof: { kind: 'photo', ref: 'ph_9', recipientType: 'proxy', proxyName: '王五' } };
      expect((await json<Problem>(s.api(`/api/v1/parcels/${other.id}/events`, { method: 'POST', as: 'hejiang', json: proxy }))).code).toBe('consent.proxy_missing');
      expect((await s.api('/api/v1/consents', { method: 'POST', as: 'hejiang', json: { phone: '13655556666', kind: 'proxy', channel: 'phone_call', proxyName: '王五', givenAt: at(0) } })).status).toBe(201);
      expect((await s.api(`/api/v1/parcels/${other.id}/events`, { method: 'POST', as: 'hejiang', json: proxy })).status).toBe(201);
    });
  });

  describe('address exception queue', () => {
    it('lists unresolved parcels for the county, and learns the village a clerk assigns', async () => {
      const addr = '三都县大河镇老寨子上坡第三家';
      const { id } = await newParcel({ address: addr });
      const q = await json<{ items: Array<{ id: string; addressStatus: string }> }>(s.api('/api/v1/parcels/address-queue?limit=1000', { as: 'hejiang' }));
      expect(q.items.find((x) => x.id === id)?.addressStatus).toBe('unresolved');
      expect((await json<{ total: number }>(s.api('/api/v1/parcels/address-queue', { as: 'duyun' }))).total).toBe(0);
      expect((await s.api(`/api/v1/parcels/${id}/village`, { method: 'POST', as: 'jijia', json: { villageCode: HEJIANG_VILLAGE } })).status).toBe(403);
      expect((await s.api(`/api/v1/parcels/${id}/village`, { method: 'POST', as: 'hejiang', json: { villageCode: '522701111212' } })).status).toBe(403);
      const a = await s.api(`/api/v1/parcels/${id}/village`, { method: 'POST', as: 'hejiang', json: { villageCode: HEJIANG_VILLAGE } });
      expect(a.status).toBe(200);
      expect(await json(a)).toMatchObject({ villageName: '合江村' });
      const q2 = await json<{ items: Array<{ id: string }> }>(s.api('/api/v1/parcels/address-queue?limit=1000', { as: 'hejiang' }));
      expect(q2.items.some((x) => x.id === id)).toBe(false);
      // The next parcel with the same address resolves by itself.
      const next = await json<ManifestResult>(manifest('zto', [parcel(wb(), { address: addr })]));
      expect(next.parcels[0]!.addressStatus).toBe('resolved');
      const row = await s.ctx.db.selectFrom('parcels').select('village_code').where('id', '=', next.parcels[0]!.parcelId!).executeTakeFirstOrThrow();
      expect(row.village_code).toBe(HEJIANG_VILLAGE);
    });
  });

  describe('handover', () => {
    it('reconciles scans against the manifest: received, damaged, missing, unexpected; signed by both sides', async () => {
      const ws = [wb('YT'), wb('YT'), wb('YT'), wb('YT')];
      const m = await json<ManifestResult>(manifest('yto', ws.map((w) => parcel(w))));
      expect(m.accepted).toBe(4);
      const r = await s.api('/api/v1/handovers', { method: 'POST', as: 'hejiang', json: { partnerCode: 'YTO', outletCode: HEJIANG, scans: [{ waybillNo: ws[0] }, { waybillNo: ws[1], damaged: true, note: '外箱破损' }, { waybillNo: 'YT9999999999' }], postSigner: '合江代办所营业员', partnerSigner: '圆通司机李师傅' } });
      expect(r.status).toBe(201);
      const h = await json<{ id: string; counts: Json; items: Array<{ waybillNo: string; result: string }> }>(r);
      // Earlier tests left other YTO parcels at this outlet waiting: they are missing too.
      expect(h.counts).toMatchObject({ received: 1, damaged: 1, unexpected: 1 });
      expect(h.items.filter((i) => ws.slice(2).includes(i.waybillNo)).map((i) => i.result)).toEqual(['missing', 'missing']);
      const st = async (w: string) => (await json<ParcelView>(s.api(`/partner/v1/parcels/${w}`, { as: 'yto' }))).status;
      expect([await st(ws[0]!), await st(ws[1]!), await st(ws[2]!)]).toEqual(['at_outlet', 'exception', 'exception']);
      expect((await s.api(`/partner/v1/handovers/${h.id}`, { as: 'yto' })).status).toBe(200);
      expect((await s.api(`/partner/v1/handovers/${h.id}`, { as: 'zto' })).status).toBe(404);
      expect((await s.api(`/api/v1/handovers/${h.id}`, { as: 'duyun' })).status).toBe(404);
      expect((await s.api(`/api/v1/handovers/${h.id}`, { as: 'sandu' })).status).toBe(200);
      // A missing parcel that turns up later is handed over and continues.
      const found = await s.api('/api/v1/handovers', { method: 'POST', as: 'hejiang', json: { partnerCode: 'YTO', outletCode: HEJIANG, scans: [{ waybillNo: ws[2] }], postSigner: 'a', partnerSigner: 'b' } });
      const late = await json<{ items: Array<{ waybillNo: string; result: string; note?: string }> }>(found);
      expect(late.items.find((i) => i.waybillNo === ws[2])).toMatchObject({ result: 'received', note: 'late: reported missing before' });
      expect(await st(ws[2]!)).toBe('at_outlet');
      expect(late.items.find((i) => i.waybillNo === ws[3])).toBeUndefined(); // still missing, not reported twice
      // A parcel already handed over and scanned again is unexpected.
      const again = await json<{ items: Array<{ waybillNo: string; result: string; note?: string }> }>(s.api('/api/v1/handovers', { method: 'POST', as: 'hejiang', json: { partnerCode: 'YTO', outletCode: HEJIANG, scans: [{ waybillNo: ws[0] }], postSigner: 'a', partnerSigner: 'b' } }));
      expect(again.items.find((i) => i.waybillNo === ws[0])).toMatchObject({ result: 'unexpected', note: 'already at_outlet' });
    });
  });

  describe('clerk upload', () => {
    it('takes a CSV manifest from a clerk of the outlet, and rejects a bad file with row numbers', async () => {
      const [a, b] = [wb(), wb()];
      const csv = `运单号,收件人,收件人电话,收件地址,重量kg,服务\n${a},李四,13900001111,三都县大河镇合江村,2,上门\n${b},王五,13900002222,三都县大河镇巴佑村,0.5,驿站\n`;
      const up = (as: string, content: string, outlet = HEJIANG) => {
        const fd = new FormData();
        fd.append('file', new Blob([content], { type: 'text/csv' }), 'manifest.csv');
        return s.api(`/api/v1/manifests/upload?partner=ZTO&outlet=${outlet}`, { method: 'POST', as, body: fd });
      };
      const r = await up('hejiang', csv);
      expect(r.status).toBe(201);
      expect(await json(r)).toMatchObject({ accepted: 2, duplicates: 0 });
      expect(await json(up('hejiang', csv))).toMatchObject({ accepted: 0, duplicates: 2 });
      expect((await up('duyun', csv)).status).toBe(403);
      const bad = await up('hejiang', `运单号,收件人,收件人电话,收件地址,重量kg,服务\n${wb()},李四,139,三都县大河镇合江村,2,上门\n`);
      expect(bad.status).toBe(422);
      expect((await json<Problem>(bad)).errors![0]).toMatchObject({ row: 2, path: 'row 2/recipientPhone' });
    });
  });

  describe('retention', () => {
    it('purges personal data of closed parcels after the retention days, keeping what statements need', async () => {
      const { id, waybillNo } = await newParcel();
      await batch([event(id, 'handed_over', 1), event(id, 'out_for_delivery', 2), event(id, 'delivered', 3, { proof })]);
      const open = await newParcel();
      expect((await s.api('/api/v1/parcels/purge', { method: 'POST', as: 'sandu', json: {} })).status).toBe(403);
      const r = await json<{ purged: number }>(s.api('/api/v1/parcels/purge', { method: 'POST', as: 'admin', json: { retentionDays: 0 } }));
      expect(r.purged).toBeGreaterThanOrEqual(1);
      const row = await s.ctx.db.selectFrom('parcels').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect([row.recipient_name_enc, row.phone_enc, row.phone_hmac, row.address_enc, row.phone_masked]).toEqual([null, null, null, null, null]);
      expect(row).toMatchObject({ status: 'delivered', village_code: HEJIANG_VILLAGE, weight_g: 1200, service: 'door', partner_code: 'ZTO' });
      expect((await s.api(`/api/v1/parcels/${id}/reveal`, { method: 'POST', as: 'admin', json: { reason: 'dispute' } })).status).toBe(404);
      expect((await s.api(`/api/v1/track/${waybillNo}`)).status).toBeLessThan(500);
      const still = await s.ctx.db.selectFrom('parcels').select('phone_enc').where('id', '=', open.id).executeTakeFirstOrThrow();
      expect(still.phone_enc).not.toBeNull();
    });
  });
});
