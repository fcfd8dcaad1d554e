import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, testServer } from '../../../test/harness.ts';
import { StationsWorker } from '../../jobs/stations.worker.ts';

type Json = Record<string, unknown>;
const json = async <T = Json>(r: Response | Promise<Response>): Promise<T> => (await (await r).json()) as T;
let seq = 0;
const wb = () => `ZT${Date.now().toString().slice(-6)}${String(++seq).padStart(5, '0')}`;
const PHONE = '13812345678';
const parcel = (waybillNo: string, service: 'door' | 'station') => ({ waybillNo, recipientName: '张小娟', recipientPhone: PHONE, address: '贵州省黔南州都匀市墨冲镇鸡贾村', weightKg: 1.2, service });

let s: TestServer;
let outlet = '';
let station = '';
let nowMs = Date.now();
let worker: StationsWorker;

beforeAll(async () => {
  process.env.STATION_REMINDER_DAYS = '2,4';
  process.env.STATION_RETURN_DAYS = '7';
  s = await testServer();
  outlet = (await s.ctx.db.selectFrom('outlets').select('code').where('county_code', '=', '522701').where('kind', 'in', ['postal_office', 'agency_office']).orderBy('code').executeTakeFirstOrThrow()).code;
  station = (await s.ctx.db.selectFrom('users').select('outlet_id').where('username', '=', 'jijia').executeTakeFirstOrThrow()).outlet_id!;
  worker = new StationsWorker(s.ctx.db, { clock: () => new Date(Math.max(nowMs, Date.now())), pii: s.ctx.pii, region: s.ctx.config.region });
});
afterAll(async () => s?.close());

async function newParcel(service: 'door' | 'station') {
  const w = wb();
  const r = await s.api('/partner/v1/manifests', { method: 'POST', as: 'zto', json: { outletCode: outlet, parcels: [parcel(w, service)] } });
  expect(r.status).toBe(201);
  const m = await json<{ parcels: Array<{ parcelId: string }> }>(r);
  return { id: m.parcels[0]!.parcelId, waybillNo: w };
}
const inbound = (p: { id: string }, as = 'jijia') => s.api(`/api/v1/stations/${station}/inbound`, { method: 'POST', as, json: { parcelId: p.id } });
const pickup = (code: string, phoneLast4: string) => s.api(`/api/v1/stations/${station}/pickup`, { method: 'POST', as: 'jijia', json: { code, phoneLast4 } });
/** The pickup code, read from the SMS the database provider recorded (as the recipient would). */
async function smsCode(parcelId: string): Promise<string> {
  await worker.runOnce();
  const n = await s.ctx.db.selectFrom('sms_messages as m').innerJoin('notifications as n', 'n.id', 'm.notification_id').select(['m.body_enc', 'm.to_enc']).where('n.parcel_id', '=', parcelId).where('n.kind', '=', 'pickup_code').executeTakeFirstOrThrow();
  expect(s.ctx.pii.decrypt(n.to_enc)).toBe(PHONE);
  return /取件码(\d{6})/.exec(s.ctx.pii.decrypt(n.body_enc))![1]!;
}
const status = async (id: string) => (await s.ctx.db.selectFrom('parcels').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

describe(`stations (${process.env.TEST_DB ?? 'pglite'})`, () => {
  it('puts a parcel on a shelf slot with a pickup code sent by SMS, recording the station service as the basis', async () => {
    const p = await newParcel('station');
    const r = await inbound(p);
    expect(r.status).toBe(201);
    const b = await json<{ shelfSlot: string; basis: string }>(r);
    expect(b).toMatchObject({ basis: 'service' });
    expect(b.shelfSlot).toMatch(/^[A-Z]\d{2}$/);
    expect(await status(p.id)).toBe('at_station');
    const again = await inbound(p);
    expect(again.status).toBe(200);
    expect((await json<{ shelfSlot: string }>(again)).shelfSlot).toBe(b.shelfSlot);
    const code = await smsCode(p.id);
    expect(code).toMatch(/^\d{6}$/);
    expect(JSON.stringify(b)).not.toContain(code); // the code goes to the recipient only
    const row = await s.ctx.db.selectFrom('station_parcels').selectAll().where('parcel_id', '=', p.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(code); // stored as a keyed hash only
    const list = await json<{ items: Array<{ kind: string; text: string; status: string; to: string }> }>(s.api(`/api/v1/notifications?station=${station}&parcel=${p.id}`, { as: 'jijia' }));
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ kind: 'pickup_code', status: 'sent', to: '138******78' });
    expect(list.items[0]!.text).toContain('取件码******');
    expect(list.items[0]!.text).not.toContain(code);
    // Outsiders: another county's clerk sees no such station; partners are not staff.
    expect((await inbound(p, 'hejiang')).status).toBe(404);
    expect((await inbound(p, 'zto')).status).toBe(403);
  });

  it('refuses station delivery without consent, and records the consent when there is one', async () => {
    const p = await newParcel('door');
    const r = await inbound(p);
    expect(r.status).toBe(422);
    expect((await json<{ code: string }>(r)).code).toBe('consent.station_missing');
    expect(await status(p.id)).toBe('manifested');
    const c = await s.api('/api/v1/consents', { method: 'POST', as: 'duyun', json: { parcelId: p.id, kind: 'station', channel: 'sms' } });
    expect(c.status).toBe(201);
    const consentId = (await json<{ id: string }>(c)).id;
    const ok = await inbound(p);
    expect(ok.status).toBe(201);
    expect(await json(ok)).toMatchObject({ basis: 'consent', consentId });
  });

  it('locks pickups by code after repeated wrong attempts, even for the right code, until unlocked', async () => {
    const p = await newParcel('station');
    expect((await inbound(p)).status).toBe(201);
    const code = await smsCode(p.id);
    const wrong = code === '000000' ? '000001' : '000000';
    for (let i = 0; i < 4; i++) {
      const r = await pickup(wrong, '5678');
      expect(r.status).toBe(422);
      expect((await json<{ code: string }>(r)).code).toBe('pickup.mismatch');
    }
    // The right code with the wrong phone digits is a failure too, and says nothing more.
    const phoneWrong = await pickup(code, '0000');
    expect(phoneWrong.status).toBe(422);
    expect((await json<{ code: string }>(phoneWrong)).code).toBe('pickup.mismatch');
    const locked = await pickup(code, '5678');
    expect(locked.status).toBe(429);
    expect((await json<{ code: string }>(locked)).code).toBe('pickup.locked');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await status(p.id)).toBe('at_station');
    const audits = await s.ctx.db.selectFrom('audit_log').select(['result', 'detail']).where('action', '=', 'station.pickup').where('object_id', '=', station).execute();
    expect(audits.filter((a) => a.result === 'denied').length).toBeGreaterThanOrEqual(6);
    expect(JSON.stringify(audits)).not.toContain(code);
    // The keeper cannot lift it; a county manager can.
    expect((await s.api(`/api/v1/stations/${station}/pickup/unlock`, { method: 'POST', as: 'jijia' })).status).toBe(403);
    expect((await s.api(`/api/v1/stations/${station}/pickup/unlock`, { method: 'POST', as: 'duyun' })).status).toBe(200);
    const ok = await pickup(code, '5678');
    expect(ok.status).toBe(200);
    expect(await json(ok)).toMatchObject({ status: 'picked_up', waybillNo: p.waybillNo });
    expect(await status(p.id)).toBe('picked_up');
    const ev = await s.ctx.db.selectFrom('parcel_events').select('payload').where('parcel_id', '=', p.id).where('type', '=', 'picked_up').executeTakeFirstOrThrow();
    expect((ev.payload as { proof: { kind: string } }).proof.kind).toBe('pickup_code');
    // A used code does not work twice.
    expect((await pickup(code, '5678')).status).toBe(422);
    await s.api(`/api/v1/stations/${station}/pickup/unlock`, { method: 'POST', as: 'duyun' });
  });

  it('hands a parcel over after an ID check by the keeper', async () => {
    const p = await newParcel('station');
    expect((await inbound(p)).status).toBe(201);
    const r = await s.api(`/api/v1/stations/${station}/pickup/id-check`, { method: 'POST', as: 'jijia', json: { parcelId: p.id, documentType: 'resident_id', documentLast4: '123X' } });
    expect(r.status).toBe(200);
    expect(await status(p.id)).toBe('picked_up');
    const shelf = await json<{ items: Array<{ parcelId: string; status: string; pickupProof: string }> }>(s.api(`/api/v1/stations/${station}/parcels?status=picked_up&limit=100`, { as: 'jijia' }));
    expect(shelf.items.find((x) => x.parcelId === p.id)).toMatchObject({ pickupProof: 'id_check' });
  });

  it('reminds on the configured days, then returns an uncollected parcel to the partner', async () => {
    const p = await newParcel('station');
    expect((await inbound(p)).status).toBe(201);
    await worker.runOnce();
    const day = 86_400_000;
    const t0 = Date.now();
    const kinds = async () => (await s.ctx.db.selectFrom('notifications').select('kind').where('parcel_id', '=', p.id).orderBy('created_at').orderBy('id').execute()).map((x) => x.kind);
    nowMs = t0 + 1 * day;
    await worker.runOnce();
    expect(await kinds()).toEqual(['pickup_code']);
    nowMs = t0 + 2 * day + 60_000;
    await worker.runOnce();
    await worker.runOnce();
    expect(await kinds()).toEqual(['pickup_code', 'reminder']);
    nowMs = t0 + 4 * day + 60_000;
    await worker.runOnce();
    expect(await kinds()).toEqual(['pickup_code', 'reminder', 'reminder']);
    expect(await status(p.id)).toBe('at_station');
    nowMs = t0 + 7 * day + 60_000;
    await worker.runOnce();
    expect(await kinds()).toEqual(['pickup_code', 'reminder', 'reminder', 'returned']);
    expect(await status(p.id)).toBe('returned');
    const sp = await s.ctx.db.selectFrom('station_parcels').select(['status', 'reminders']).where('parcel_id', '=', p.id).executeTakeFirstOrThrow();
    expect(sp).toMatchObject({ status: 'returned', reminders: 2 });
    // The partner learns it through the outbox (webhook and feed): at_station, then returned.
    const changes = await s.ctx.db.selectFrom('outbox').select('payload').where('parcel_id', '=', p.id).orderBy('id').execute();
    expect(changes.map((c) => (c.payload as { status: string }).status)).toEqual(['manifested', 'at_station', 'returned']);
    const sms = await s.ctx.db.selectFrom('notifications').select('status').where('parcel_id', '=', p.id).execute();
    expect(sms.every((x) => x.status === 'sent')).toBe(true);
    nowMs = Date.now();
  });
});
